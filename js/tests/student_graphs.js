// Structures shaped like the graphs students build (tests/student_graphs.py
// builds the same with the engine), made here without a kernel: a tiny tracer
// records ops in creation order, which is a topological order as the wire's is.

/** A recorder of nodes: leaf(), constant(), op(); done() gives wire.structure()'s columns. */
export function tracer() {
  const s = { n: 0, label: [], code: [], op: [], kind: [], scope: [], name: [], inputs: [], offsets: [0], const: [] };
  const data = [];
  const add = (code, op, kind, ins, value, label = "") => {
    s.label.push(label);
    s.code.push(code);
    s.op.push(op);
    s.kind.push(kind);
    s.scope.push("");
    s.name.push(label);
    s.inputs.push(...ins);
    s.offsets.push(s.inputs.length);
    s.const.push(0);
    data.push(value);
    return s.n++;
  };
  const OPS = { "+": 1, "*": 3, relu: 8 };
  return {
    leaf: (value, label = "") => add(0, "", "input", [], value, label),
    constant: (value) => add(0, "", "constant", [], value),
    op: (name, ins) => add(OPS[name], name, "op", ins, 0),
    name: (i, text) => {
      s.name[i] = text;
    },
    done: () => ({ structure: s, data }),
  };
}

/**
 * Karpathy's lecture MLP written by hand: Neuron = sum(w*x, b).relu(), MLP(2, [16, 16, 1]),
 * hinge loss over `points` samples with Python's sum, L2 with Python's sum (65,818 nodes for 100).
 * @param {number} points
 * @param {{names?: boolean}} [options]  names: the notebook's names of the parameters
 */
export function lecture_mlp(points = 100, { names = false } = {}) {
  const t = tracer();
  let seed = 1337;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return (seed / 2147483648) * 2 - 1;
  };
  const sizes = [2, 16, 16, 1];
  const layers = [];
  for (let l = 0; l < 3; l++) {
    const neurons = [];
    for (let j = 0; j < sizes[l + 1]; j++) {
      const w = Array.from({ length: sizes[l] }, (_, k) => {
        const p = t.leaf(random());
        if (names) t.name(p, `model.layers[${l}].neurons[${j}].w[${k}]`);
        return p;
      });
      const b = t.leaf(0);
      if (names) t.name(b, `model.layers[${l}].neurons[${j}].b`);
      neurons.push({ w, b, nonlin: l < 2 });
    }
    layers.push(neurons);
  }
  const losses = [];
  for (let i = 0; i < points; i++) {
    let x = [t.leaf(random()), t.leaf(random())];
    for (const neurons of layers) {
      x = neurons.map(({ w, b, nonlin }) => {
        let act = b;
        w.forEach((wi, k) => {
          act = t.op("+", [act, t.op("*", [wi, x[k]])]);
        });
        return nonlin ? t.op("relu", [act]) : act;
      });
    }
    const margin = t.op("*", [t.constant(i % 2 ? -1 : 1), x[0]]);
    losses.push(t.op("relu", [t.op("+", [t.constant(1), margin])]));
  }
  let total = t.constant(0);
  for (const l of losses) total = t.op("+", [total, l]);
  const data_loss = t.op("*", [total, t.constant(1 / points)]);
  let reg = t.constant(0);
  for (const neurons of layers)
    for (const { w, b } of neurons) for (const p of [...w, b]) reg = t.op("+", [reg, t.op("*", [p, p])]);
  const reg_loss = t.op("*", [t.constant(1e-4), reg]);
  t.op("+", [data_loss, reg_loss]);
  return t.done();
}
