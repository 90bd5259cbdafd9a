// Bundles each widget's entry module into one self-contained ES module in
// micrograd_widgets/static/ (no code splitting: anywidget loads _esm as one text).
// js/<part>/index.js becomes static/<part>.js; a part's stylesheet keeps its name.
import * as esbuild from "esbuild";

const ENTRIES = [
  { in: "js/graph/index.js", out: "graph" },
  { in: "js/graph/graph.css", out: "graph" },
  { in: "js/trainer/index.js", out: "trainer" },
  { in: "js/trainer/trainer.css", out: "trainer" },
  // the kernel-free model that save_html inlines beside the graph bundle
  { in: "js/offline/index.js", out: "offline" },
];
const watch = process.argv.includes("--watch");

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: ENTRIES,
  outdir: "micrograd_widgets/static",
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: !watch,
  logLevel: "info",
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
