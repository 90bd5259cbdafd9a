import { test } from "node:test";
import assert from "node:assert/strict";
import { create_sync } from "../graph/sync.js";

function harness(extra = {}) {
  const sent = [],
    states = [],
    statuses = [];
  const sync = create_sync({
    client: "me",
    send: (content) => sent.push(content),
    on_state: (content) => states.push(content.seq),
    on_status: (s) => statuses.push(s),
    timeout_ms: 0,
    ...extra,
  });
  const answer = (content, client = "me") => sync.receive({ type: "state", seq: content.seq, client, errors: {} }, []);
  return { sync, sent, states, statuses, answer };
}

test("the first value goes out at once and the view is pending until answered", () => {
  const { sync, sent, states, statuses, answer } = harness();
  sync.request({ 0: 1.5 });
  assert.deepEqual(sent, [{ type: "set", seq: 1, client: "me", values: { 0: 1.5 } }]);
  assert.equal(sync.status(), "pending");
  assert.ok(answer(sent[0]));
  assert.deepEqual(states, [1]);
  assert.deepEqual(statuses, ["pending", "ok"]);
});

test("at most one request is in flight and the newest value wins", () => {
  const { sync, sent, states, answer } = harness();
  sync.request({ 0: 1 });
  sync.request({ 0: 2 });
  sync.request({ 1: 7 });
  sync.request({ 0: 3 });
  assert.equal(sent.length, 1);
  answer(sent[0]);
  assert.deepEqual(sent[1].values, { 0: 3, 1: 7 }); // only the latest per leaf, both leaves
  assert.deepEqual(states, []); // the stale answer is not shown
  assert.equal(sync.status(), "pending");
  answer(sent[1]);
  assert.deepEqual(states, [2]);
  assert.equal(sync.status(), "ok");
  assert.equal(sent.length, 2);
});

test("answers meant for another view or an older request are ignored", () => {
  const { sync, sent, states, answer } = harness();
  sync.request({ 0: 1 });
  assert.equal(answer(sent[0], "other-view"), false);
  assert.equal(sync.receive({ type: "state", seq: 99, client: "me" }, []), false);
  assert.equal(sync.status(), "pending");
  assert.deepEqual(states, []);
  assert.ok(answer(sent[0]));
});

test("a lost answer is retried after the timeout with the latest values", () => {
  const timers = [];
  const { sync, sent, answer } = harness({
    timeout_ms: 100,
    timers: { set_timeout: (f) => timers.push(f), clear_timeout: () => {} },
  });
  sync.request({ 0: 1 });
  sync.request({ 0: 2 });
  timers[0]();
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[1].values, { 0: 2 });
  assert.ok(answer(sent[1]));
  assert.equal(sync.status(), "ok");
});

test("two views get distinct client ids", () => {
  const a = create_sync({ send() {}, on_state() {} });
  const b = create_sync({ send() {}, on_state() {} });
  assert.notEqual(a.client, b.client);
});

test("a view that does not replay itself shows overtaken answers too", () => {
  const { sync, sent, states, answer } = harness({ show_overtaken: true });
  sync.request({ 0: 1 });
  sync.request({ 0: 2 });
  answer(sent[0]);
  assert.deepEqual(states, [1]);
  assert.equal(sync.status(), "pending");
  answer(sent[1]);
  assert.deepEqual(states, [1, 2]);
  assert.equal(sync.status(), "ok");
});
