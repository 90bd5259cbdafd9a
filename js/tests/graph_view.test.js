import { test } from "node:test";
import assert from "node:assert/strict";
import { fake_document } from "./fake_dom.js";
import { log_graph, view_numbers } from "./fixtures.js";
import { mount_graph_view } from "../graph/graph_view.js";

function mount(graph, extra = {}) {
  const doc = fake_document();
  const el = doc.createElement("div");
  doc.body.appendChild(el);
  const view = mount_graph_view(el, {
    ...view_numbers(graph),
    sliders: [{ id: 0, label: graph.structure.label[0], min: -5, max: 5, step: 0.01, value: graph.data[0] }],
    ...extra,
  });
  const node = (id) => view.root.find((e) => e.getAttribute("data-node-id") === String(id))[0];
  const field = (id, name) => node(id).find((e) => e.getAttribute("data-field") === name)[0];
  const range = () => view.root.find((e) => e.tagName === "input" && e.getAttribute("type") === "range")[0];
  return { doc, el, view, node, field, range };
}

test("a label made of HTML shows as literal text and builds no element", () => {
  const label = "<img src=x onerror=alert(1)>";
  const { view, node, range } = mount(log_graph(2, label));
  assert.equal(node(0).getAttribute("data-label"), label);
  assert.ok(node(0).find((e) => e.textContent === label).length > 0);
  assert.equal(range().getAttribute("aria-label"), label);
  assert.equal(view.root.find((e) => e.tagName === "img").length, 0);
});

test("the DOM contract: root, node ids, labels, data and grad fields, slider, number box, reset", () => {
  const { view, node, field, range } = mount(log_graph());
  assert.ok(view.root.classList.contains("mgw-graph"));
  assert.equal(view.root.getAttribute("data-sync"), "ok");
  assert.equal(node(4).getAttribute("data-label"), "out");
  assert.equal(field(4, "data").textContent, (Math.log(6) + 2).toFixed(4));
  assert.equal(field(0, "grad").textContent, (1 + 1 / 2).toFixed(4)); // d/da (log(a*b) + a) = 1/a + 1
  assert.equal(range().getAttribute("aria-label"), "a");
  assert.equal(view.root.find((e) => e.getAttribute("aria-label") === "a value").length, 1);
  assert.equal(view.root.find((e) => e.getAttribute("aria-label") === "reset").length, 1);
});

test("moving a slider replays locally, repaints and reports the value", () => {
  const sent = [];
  const { field, range } = mount(log_graph(), { on_input: (values) => sent.push(values) });
  range().value = "1";
  range().dispatch("input");
  assert.equal(field(4, "data").textContent, (Math.log(3) + 1).toFixed(4));
  assert.deepEqual(sent, [{ 0: 1 }]);
});

test("a domain error shows on its node, NaN flows downstream, and moving back recovers", () => {
  const { node, field, range } = mount(log_graph());
  range().value = "-1";
  range().dispatch("input");
  assert.equal(node(3).getAttribute("data-error"), "log(-3): log of a number <= 0");
  assert.equal(field(3, "error").textContent, "⚠ log(-3): log of a number <= 0");
  assert.equal(field(4, "data").textContent, "nan");
  range().value = "2";
  range().dispatch("input");
  assert.equal(node(3).getAttribute("data-error"), null);
  assert.equal(field(4, "data").textContent, (Math.log(6) + 2).toFixed(4));
});

test("numbers from the kernel overwrite the view and move the sliders", () => {
  const { view, field, range } = mount(log_graph());
  const data = [4, 3, 12, Math.log(12), Math.log(12) + 4],
    grad = [1.25, 1 / 3, 1 / 12, 1, 1];
  view.update(data, grad, {});
  assert.equal(field(4, "data").textContent, (Math.log(12) + 4).toFixed(4));
  assert.equal(field(0, "grad").textContent, "1.2500");
  assert.equal(range().value, "4");
});

test("reset puts the sliders back where they started and reports it", () => {
  const sent = [];
  const { view, field, range } = mount(log_graph(), { on_input: (values) => sent.push(values) });
  range().value = "4";
  range().dispatch("input");
  view.root.find((e) => e.getAttribute("aria-label") === "reset")[0].dispatch("click");
  assert.equal(range().value, "2");
  assert.deepEqual(sent.at(-1), { 0: 2 });
  assert.equal(field(4, "data").textContent, (Math.log(6) + 2).toFixed(4));
});

test("selecting a reused leaf explains its grad as a sum of contributions", () => {
  const { view, node } = mount(log_graph());
  node(0).dispatch("click");
  const panel = view.root.find((e) => e.classList.contains("mgw-chain"))[0];
  // titles, not headings: a widget cannot know the notebook's heading levels (NOTE [no headings])
  assert.deepEqual(
    panel.find((e) => /^h\d$/.test(e.tagName)),
    [],
  );
  const text = panel.textContent;
  assert.match(text, /used 2 times/);
  assert.match(text, /grad = 0\.5000 \+ 1\.0000 = 1\.5000/); // via p = a * b, then directly into out
  assert.equal(node(0).getAttribute("data-state"), "selected");
  assert.equal(node(4).getAttribute("data-state"), "down");
});

test("the gradient check shows finite differences beside the leaves, offline too", () => {
  const { view, node } = mount(log_graph());
  const box = view.root.find((e) => e.getAttribute("aria-label") === "gradient check")[0];
  box.checked = true;
  box.dispatch("change");
  assert.match(node(0).textContent, /finite diff: 1\.5000/);
});

test("a big scoped graph arrives folded: alike scopes fold into one repeat group, a click shows the next", () => {
  // 402 nodes: 4 scopes of 100 alike nodes (sums of the previous node and a leaf)
  const structure = { n: 0, label: [], code: [], op: [], kind: [], scope: [], inputs: [], offsets: [0], const: [] };
  const data = [];
  const add = (code, ins, scope) => {
    structure.label.push("");
    structure.code.push(code);
    structure.op.push(code ? "+" : "");
    structure.kind.push(code ? "op" : "input");
    structure.scope.push(scope);
    structure.inputs.push(...ins);
    structure.offsets.push(structure.inputs.length);
    structure.const.push(0);
    data.push(1);
    return structure.n++;
  };
  let last = add(0, [], "");
  for (let g = 0; g < 4; g++)
    for (let k = 0; k < 50; k++) {
      const leaf = add(0, [], `sample.${g}`);
      last = add(1, [last, leaf], `sample.${g}`);
    }
  add(1, [last, 0], "");
  const { view } = mount({ structure, data });
  const groups = () => view.root.find((e) => e.getAttribute("data-group") !== null);
  const group = (key) => groups().find((g) => g.getAttribute("data-group") === key);
  const nodes = () =>
    view.root.find((e) => e.getAttribute("data-node-id") !== null && e.classList.contains("mgw-node"));
  assert.ok(nodes().length + groups().length <= 40, "never node by node");
  assert.equal(
    nodes()
      .find((n) => n.getAttribute("data-root") === "true")
      ?.getAttribute("data-node-id"),
    "401",
  );
  // the first view opened the repeat group nearest the output: one sample shown, the other three behind one box
  const rest = group("xsample.0~rest");
  assert.equal(rest.getAttribute("data-count"), "300");
  // a group's name holds the words it shows: its title and its count line (WCAG 2.5.3)
  for (const g of groups()) {
    const name = g.getAttribute("aria-label");
    for (const line of g.childNodes)
      for (const word of line.textContent.replace(/[▸,]/g, " ").split(/\s+/).filter(Boolean)) {
        assert.ok(name.includes(word), `"${line.textContent}" is named "${name}"`);
      }
  }
  assert.equal(rest.getAttribute("data-repeat"), "3");
  assert.equal(group("sample.1"), undefined);
  const drawn = (id) => nodes().some((n) => n.getAttribute("data-node-id") === String(id));
  assert.ok(drawn(100)); // sample 0's last node
  rest.dispatch("click");
  // the next sample, opened as far as the first was
  assert.ok(!drawn(100));
  assert.ok(drawn(200));
  // the counts of what is drawn add up to the whole graph
  const counted = groups().reduce((total, g) => total + Number(g.getAttribute("data-count")), 0) + nodes().length;
  assert.equal(counted, 402);
});

test("a lone leaf mounts, slides and is its own root", () => {
  const graph = {
    structure: {
      n: 1,
      label: ["a"],
      code: [0],
      op: [""],
      kind: ["input"],
      scope: [""],
      inputs: [],
      offsets: [0, 0],
      const: [0],
    },
    data: [3],
  };
  const { field, range } = mount(graph);
  assert.equal(field(0, "grad").textContent, "1.0000");
  range().value = "5";
  range().dispatch("input");
  assert.equal(field(0, "data").textContent, "5.0000");
});

test("any graph keeps the DOM small: a 20,000-node graph drawn flat, then fitted whole", async () => {
  const { lecture_mlp } = await import("./student_graphs.js");
  const graph = lecture_mlp(30);
  assert.ok(graph.structure.n > 19000);
  const { view } = mount(graph, { group_threshold: 1e9, sliders: [] });
  const count = () => view.root.all().length;
  assert.ok(count() < 5000, `${count()} elements`);
  assert.ok(view.root.find((e) => e.getAttribute("data-root") === "true").length === 1, "the output is drawn");
  view.root.find((e) => e.getAttribute("aria-label") === "fit")[0].dispatch("click");
  assert.ok(count() < 5000, `${count()} elements after fit`);
  // the whole graph at once is too small to read: shapes, and a note that says so
  const note = view.root.find((e) => e.getAttribute("data-role") === "lod-note")[0];
  assert.ok(!note.hidden);
  assert.match(note.textContent, /zoom in/);
});

test("find opens the groups on the way, selects the node and gives it the one tab stop", async () => {
  const { lecture_mlp } = await import("./student_graphs.js");
  const graph = lecture_mlp(20);
  const target = 5000; // deep inside one sample's branch
  graph.structure.label[target] = "deep one";
  const { view, node } = mount(graph, { sliders: [] });
  assert.equal(node(target), undefined);
  const box = view.root.find((e) => e.getAttribute("aria-label") === "find node")[0];
  box.value = "deep one";
  box.dispatch("input");
  box.dispatch("keydown", { key: "Enter" });
  assert.equal(node(target).getAttribute("data-state"), "selected");
  const stops = view.root.find(
    (e) =>
      (e.classList.contains("mgw-node") || e.classList.contains("mgw-group")) && e.getAttribute("tabindex") === "0",
  );
  assert.deepEqual(
    stops.map((e) => e.getAttribute("data-node-id")),
    [String(target)],
  );
  // Python's find sends ids: the same path
  const { view: other, node: other_node } = mount(graph, { sliders: [] });
  other.find([target]);
  assert.equal(other_node(target).getAttribute("data-state"), "selected");
});

test("letters move the focus between neighbouring boxes, Enter explains the focused node", () => {
  const { view, node } = mount(log_graph());
  const out = node(4);
  assert.equal(out.getAttribute("tabindex"), "0");
  out.dispatch("keydown", { key: "h" }); // to an input of out
  const focused = view.root.find((e) => e.getAttribute("data-node-id") !== null && e.getAttribute("tabindex") === "0");
  assert.equal(focused.length, 1);
  assert.notEqual(focused[0].getAttribute("data-node-id"), "4");
  focused[0].dispatch("keydown", { key: "l" });
  assert.equal(node(4).getAttribute("tabindex"), "0");
  node(4).dispatch("keydown", { key: "Enter" });
  assert.match(view.root.find((e) => e.classList.contains("mgw-chain"))[0].textContent, /This is the output/);
});
