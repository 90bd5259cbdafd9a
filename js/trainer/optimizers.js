// The optimizer's step in the page, as nn.SGD and nn.Adam take it in the kernel
// (and torch.optim: momentum's buffer, Adam's moments and bias corrections),
// and the learning-rate schedules of nn.scheduled_lr. The hyperparameters come
// from the kernel with the state (train_state.optimizer.hyper).

/**
 * @typedef {object} OptimizerState
 * @property {string} kind  "sgd" | "momentum" | "adam"
 * @property {number} steps  Adam's step count
 * @property {Float64Array} velocity  SGD's momentum buffer
 * @property {Float64Array} m  Adam's first moments
 * @property {Float64Array} v  Adam's second moments
 * @property {{momentum?: number, betas?: number[], eps?: number, weight_decay?: number}} hyper
 */

/**
 * x ** n by squaring, as nn.power (NOTE [powers by squaring] in nn.py).
 * @param {number} x
 * @param {number} n  an integer >= 0
 */
export function power(x, n) {
  let result = 1;
  while (n) {
    if (n & 1) result *= x;
    x *= x;
    n = Math.floor(n / 2);
  }
  return result;
}

/**
 * nn.scheduled_lr: the rate of epoch `epoch` (0 = the first).
 * @param {number} lr
 * @param {number} epoch
 * @param {string} schedule  "constant" | "step" | "cosine"
 * @param {number} period
 */
export function scheduled_lr(lr, epoch, schedule, period) {
  if (schedule === "step") return lr * 0.5 ** Math.floor(epoch / period);
  if (schedule === "cosine") return (lr * (1 + Math.cos((Math.PI * (epoch % period)) / period))) / 2;
  return lr;
}

/**
 * A fresh optimizer state for `count` parameters.
 * @param {string} kind
 * @param {number} count
 * @param {OptimizerState["hyper"]} hyper
 * @returns {OptimizerState}
 */
export function fresh_optimizer(kind, count, hyper) {
  return {
    kind,
    steps: 0,
    hyper,
    velocity: new Float64Array(kind === "adam" ? 0 : count),
    m: new Float64Array(kind === "adam" ? count : 0),
    v: new Float64Array(kind === "adam" ? count : 0),
  };
}

/**
 * One step on `weights` (in place) from `grads`, at rate `lr`.
 * @param {OptimizerState} opt
 * @param {Float64Array} weights
 * @param {Float64Array} grads
 * @param {number} lr
 */
export function optimizer_step(opt, weights, grads, lr) {
  const decay = opt.hyper.weight_decay || 0;
  if (opt.kind !== "adam") {
    const momentum = opt.hyper.momentum || 0,
      velocity = opt.velocity;
    for (let i = 0; i < weights.length; i++) {
      let g = decay ? grads[i] + decay * weights[i] : grads[i];
      if (momentum) g = velocity[i] = momentum * velocity[i] + g;
      weights[i] -= lr * g;
    }
    return;
  }
  const [beta1, beta2] = opt.hyper.betas || [0.9, 0.999];
  const eps = opt.hyper.eps ?? 1e-8;
  opt.steps += 1;
  const step_size = lr / (1 - power(beta1, opt.steps));
  const correction = Math.sqrt(1 - power(beta2, opt.steps));
  const w1 = 1 - beta1,
    w2 = 1 - beta2,
    m = opt.m,
    v = opt.v;
  for (let i = 0; i < weights.length; i++) {
    const g = decay ? grads[i] + decay * weights[i] : grads[i];
    m[i] += w1 * (g - m[i]);
    v[i] = v[i] * beta2 + w2 * g * g;
    weights[i] += (-step_size * m[i]) / (Math.sqrt(v[i]) / correction + eps);
  }
}
