// The page's trainer (engine.js) on a state a real kernel sent: it plays on
// its own copy at once, reports back, drops its epochs for a new revision,
// ignores the kernel's echo while it drives, and waits for a rebuild.
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine_for, REPORT_MS } from "../trainer/engine.js";
import { fake_model, manual_frames } from "./trainer_mount.js";
import { report_rows, REPORT_ROWS } from "../trainer/state.js";

async function playing(name = "moons", overrides = {}) {
  const frames = manual_frames();
  const model = fake_model(name, overrides);
  const engine = engine_for(model, frames);
  await engine.loaded;
  return { frames, model, engine };
}

test("one engine per model on a page: its views share it", () => {
  const model = fake_model("moons");
  assert.equal(engine_for(model, manual_frames()), engine_for(model));
  assert.notEqual(engine_for(fake_model("moons")), engine_for(model));
});

test("play starts at once on the page's copy and tells the kernel which page drives", async () => {
  const { frames, model, engine } = await playing();
  assert.ok(engine.trainable);
  engine.play();
  assert.equal(model.sent.at(-1).type, "play");
  assert.equal(model.sent.at(-1).engine, engine.id);
  frames.run(3);
  assert.ok(engine.state.epoch > 2, `epoch ${engine.state.epoch}`);
  assert.equal(engine.state.history.at(-1)[0], engine.state.epoch, "a history row per epoch");
});

test("while it plays it reports every REPORT_MS: the epoch, the new rows and the numbers as buffers", async () => {
  const { frames, model, engine } = await playing();
  engine.play();
  model.update({ driver: engine.id, running: true });
  frames.run(1);
  const before = engine.state.epoch;
  frames.advance(REPORT_MS);
  frames.run(1);
  const report = model.sent.filter((m) => m.type === "report").at(-1);
  assert.ok(report, "a report went out");
  assert.equal(report.report.epoch, engine.state.epoch);
  assert.equal(report.report.rows, engine.state.epoch - 2, "every row since the kernel's last");
  assert.equal(report.report.revision, model.state.train_state.revision);
  const [numbers, words] = report.buffers;
  const P = engine.state.weights.length;
  assert.equal(numbers.byteLength, 8 * (2 * P + 5 * report.report.rows), "weights, SGD's buffer, the rows");
  assert.equal(words.byteLength, 4 * 625, "the Mersenne Twister's state");
  assert.ok(before >= 2);
});

test("the kernel's echo of the same revision is ignored while the page drives; a new revision replaces its copy", async () => {
  const { frames, model, engine } = await playing();
  engine.play();
  model.update({ driver: engine.id, running: true });
  frames.run(4);
  const ahead = engine.state.epoch;
  const echo = { ...model.state.train_state };
  model.update({ train_state: echo }); // another page's report, echoed: same revision
  assert.equal(engine.state.epoch, ahead, "the driving page keeps its own numbers");
  model.update({ train_state: { ...echo, revision: echo.revision + 1 } }); // t.train() in a cell, a reset
  assert.equal(engine.state.epoch, 2, "a new revision: the kernel's numbers win");
});

test("a page that follows takes every state the kernel sends", async () => {
  const { model, engine } = await playing();
  model.update({ driver: "another page", running: true });
  assert.ok(!engine.driving);
  const next = fake_model("moons").state.train_state;
  model.update({ train_state: { ...next, epoch: 7 } });
  assert.equal(engine.state.epoch, 7);
});

test("pause stops the loop and sends the last numbers with the pause", async () => {
  const { frames, model, engine } = await playing();
  engine.play();
  frames.run(2);
  engine.pause();
  const pause = model.sent.at(-1);
  assert.equal(pause.type, "pause");
  assert.equal(pause.report.epoch, engine.state.epoch);
  const stopped = engine.state.epoch;
  frames.run(5);
  assert.equal(engine.state.epoch, stopped);
});

test("step trains one epoch in the page and reports it", async () => {
  const { model, engine } = await playing();
  engine.step();
  assert.equal(engine.state.epoch, 3);
  assert.deepEqual(
    [model.sent.at(-1).type, model.sent.at(-1).report.epoch, model.sent.at(-1).report.rows],
    ["step", 3, 1],
  );
});

test("speed: in slow motion the page trains `speed` epochs a second", async () => {
  const { frames, model, engine } = await playing("moons", { speed: 10 });
  engine.play();
  for (let k = 0; k < 30; k++) frames.run(1, 100); // 3 s of frames, 100 ms apart
  assert.ok(Math.abs(engine.state.epoch - 2 - 30) <= 1, `epoch ${engine.state.epoch}`);
  void model;
});

test("an optimizer chosen while playing starts afresh at the next epoch, with the kernel's hyperparameters", async () => {
  const { frames, model, engine } = await playing();
  engine.play();
  frames.run(1);
  engine.change({ optimizer: "adam" }, () => true);
  assert.ok(!engine.pending);
  frames.run(1);
  assert.equal(engine.state.optimizer.kind, "adam");
  assert.deepEqual(engine.state.optimizer.hyper.betas, model.state.train_state.hyper.adam.betas);
  assert.ok(engine.state.optimizer.steps > 0);
});

test("a change that needs a new graph, model or data reports first, then waits for the kernel's revision", async () => {
  const { frames, model, engine } = await playing();
  engine.play();
  model.update({ driver: engine.id, running: true });
  frames.run(2);
  engine.change({ hidden: [3] }, () => false);
  assert.equal(model.sent.at(-1).type, "report", "the kernel gets the page's numbers before it rebuilds");
  assert.ok(engine.pending);
  const held = engine.state.epoch;
  frames.run(3);
  assert.equal(engine.state.epoch, held, "no epoch on a model that is being replaced");
  model.update({ train_state: { ...model.state.train_state, revision: model.state.train_state.revision + 1 } });
  assert.ok(!engine.pending);
});

test("a program the page can't replay: play goes to the kernel, and the page follows", async () => {
  const { frames, model, engine } = await playing("moons", {
    program: { reason: "the model's graph changes with the data", graphs: [] },
  });
  assert.ok(!engine.trainable);
  engine.play();
  assert.ok(!engine.driving);
  assert.equal(model.sent.at(-1).type, "play");
  frames.run(2);
  assert.equal(engine.state.epoch, 2);
});

test("in slow motion a frame that trains no epoch repaints nothing", async () => {
  const { frames, engine } = await playing("moons", { speed: 10 });
  let paints = 0;
  engine.subscribe(() => paints++);
  engine.play();
  paints = 0;
  const before = engine.state.epoch;
  frames.run(60); // about a second of frames (16 ms apart): 10 epochs at speed=10
  const epochs = engine.state.epoch - before;
  assert.ok(epochs >= 8 && epochs <= 12, `${epochs} epochs`);
  assert.ok(paints <= epochs + 2, `${paints} paints for ${epochs} epochs in 60 frames`);
});

test("a report carries at most REPORT_ROWS of its new rows, evenly spaced, the first and last among them", () => {
  const rows = Array.from({ length: 250 }, (_, k) => [k + 1, 0, 0, 0, 0]);
  const kept = report_rows(rows).map((row) => row[0]);
  assert.equal(kept.length, REPORT_ROWS);
  assert.equal(kept[0], 1);
  assert.equal(kept.at(-1), 250);
  const gaps = kept.slice(1).map((e, k) => e - kept[k]);
  assert.ok(Math.min(...gaps) >= 2 && Math.max(...gaps) <= 3, String(gaps));
  assert.equal(report_rows(rows.slice(0, 7)).length, 7, "a short report carries every row");
});
