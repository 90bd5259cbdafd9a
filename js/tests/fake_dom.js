// The smallest DOM the view needs, for node's test runner (no jsdom). It
// refuses innerHTML, so a test passing here shows the view never parses HTML.

class FakeNode {
  constructor(doc) {
    this.ownerDocument = doc;
    this.parentNode = null;
    this.childNodes = [];
  }
  get firstChild() {
    return this.childNodes[0] || null;
  }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  append(...children) {
    for (const c of children) this.appendChild(typeof c === "string" ? this.ownerDocument.createTextNode(c) : c);
  }
  removeChild(child) {
    const k = this.childNodes.indexOf(child);
    if (k >= 0) this.childNodes.splice(k, 1);
    child.parentNode = null;
    return child;
  }
  remove() {
    this.parentNode?.removeChild(this);
  }
  get textContent() {
    return this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(text) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    if (text !== "") this.appendChild(this.ownerDocument.createTextNode(String(text)));
  }
}

class FakeText extends FakeNode {
  constructor(doc, text) {
    super(doc);
    this.data = String(text);
    this.nodeType = 3;
  }
  get textContent() {
    return this.data;
  }
  set textContent(text) {
    this.data = String(text);
  }
}

class FakeElement extends FakeNode {
  constructor(doc, tag, ns) {
    super(doc);
    this.tagName = tag;
    this.namespaceURI = ns;
    this.nodeType = 1;
    this.attributes = new Map();
    this.listeners = new Map();
    this.style = {
      setProperty(name, value) {
        this[name] = value;
      },
    };
    this.value = "";
    this.checked = false;
    this.classList = {
      add: (...names) => {
        const set = this._classes();
        for (const n of names) set.add(n);
        this._save_classes(set);
      },
      remove: (...names) => {
        const set = this._classes();
        for (const n of names) set.delete(n);
        this._save_classes(set);
      },
      toggle: (name, on) => {
        const set = this._classes();
        (on ?? !set.has(name)) ? set.add(name) : set.delete(name);
        this._save_classes(set);
      },
      contains: (name) => this._classes().has(name),
    };
  }
  _classes() {
    this._class_set ||= new Set((this.getAttribute("class") || "").split(/\s+/).filter(Boolean));
    return this._class_set;
  }
  _save_classes(set = this._classes()) {
    this.attributes.set("class", [...set].join(" "));
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
    if (name === "class") this._class_set = null;
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  removeAttribute(name) {
    this.attributes.delete(name);
  }
  hasAttribute(name) {
    return this.attributes.has(name);
  }
  set hidden(on) {
    if (on) this.setAttribute("hidden", "");
    else this.removeAttribute("hidden");
  }
  get hidden() {
    return this.hasAttribute("hidden");
  }
  set innerHTML(_) {
    throw new Error("innerHTML must never be used");
  }
  get innerHTML() {
    throw new Error("innerHTML must never be used");
  }
  insertAdjacentHTML() {
    throw new Error("insertAdjacentHTML must never be used");
  }
  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }
  removeEventListener(type, fn) {
    const list = this.listeners.get(type) || [];
    const k = list.indexOf(fn);
    if (k >= 0) list.splice(k, 1);
  }
  /** Fire an event here and on every ancestor (bubbling), like a real click or input. */
  dispatch(type, extra = {}) {
    const event = {
      type,
      target: this,
      stopped: false,
      preventDefault() {},
      stopPropagation() {
        this.stopped = true;
      },
      ...extra,
    };
    for (let el = this; el && !event.stopped; el = el.parentNode)
      for (const fn of el.listeners?.get(type) || []) fn(event);
    return event;
  }
  getBoundingClientRect() {
    return { left: 0, top: 0, width: 0, height: 0 };
  }
  /** Every descendant element (depth first), to query without selectors. */
  all() {
    const out = [];
    const walk = (n) => {
      for (const c of n.childNodes)
        if (c.nodeType === 1) {
          out.push(c);
          walk(c);
        }
    };
    walk(this);
    return out;
  }
  find(predicate) {
    return this.all().filter(predicate);
  }
}

export function fake_document() {
  const doc = {
    createElement: (tag) => new FakeElement(doc, tag.toLowerCase(), "html"),
    createElementNS: (ns, tag) => new FakeElement(doc, tag, ns),
    createTextNode: (text) => new FakeText(doc, text),
  };
  doc.body = doc.createElement("body");
  return doc;
}
