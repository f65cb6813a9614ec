// The production bundle goes to whiteboard/static/frontend/ with fixed names
// (app.js, app.css) so Django templates can reference them with {% static %}.
// CI rebuilds it and fails on any difference, so the build must be
// deterministic: no hashes, no timestamps, no absolute paths.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

const here = fileURLToPath(new URL(".", import.meta.url));
const outDir = resolve(here, "../whiteboard/static/frontend");

export default defineConfig({
  plugins: [react()],
  base: "/static/frontend/",
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    cssCodeSplit: false,
    modulePreload: false,
    sourcemap: false,
    reportCompressedSize: false,
    // React, React DOM and React Flow are most of it: about 160 kB gzipped, served once and cached.
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      input: { app: resolve(here, "src/main.tsx") },
      output: {
        entryFileNames: "[name].js",
        chunkFileNames: "[name].js",
        // One stylesheet, named after the entry like the script.
        assetFileNames: (asset) => (asset.names.some((name) => name.endsWith(".css")) ? "app.css" : "[name][extname]"),
      },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
