// Bundles each widget's entry module into one self-contained ES module in
// micrograd_widgets/static/ (no code splitting: anywidget loads _esm as one text).
import * as esbuild from "esbuild";

const WIDGETS = ["graph", "trainer"];
// the kernel-free model that save_html inlines beside the graph bundle
const EXTRA = ["js/offline.js"];
const watch = process.argv.includes("--watch");

const options = {
  entryPoints: [...WIDGETS.flatMap((name) => [`js/${name}.js`, `js/${name}.css`]), ...EXTRA],
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
