import { describe, expect, it } from "vitest";

import { detectFormat } from "./ImportDialog";

describe("the import dialog tells a file's format", () => {
  it("from its extension", () => {
    expect(detectFormat("shop.excalidraw", "")).toBe("excalidraw");
    expect(detectFormat("Shapes.EXCALIDRAWLIB", "")).toBe("excalidraw");
    expect(detectFormat("shop.drawio", "")).toBe("drawio");
    expect(detectFormat("readme.mmd", "")).toBe("mermaid");
  });

  it("else from its content", () => {
    expect(detectFormat("export.xml", "\uFEFF  <mxfile host='x'>")).toBe("drawio");
    expect(detectFormat("scene.json", '{\n  "type": "excalidraw",\n  "version": 2')).toBe("excalidraw");
    expect(detectFormat("board.json", '{"format": "bothsides", "version": 1}')).toBe("json");
    expect(detectFormat("notes.txt", "flowchart LR\n  a --> b")).toBe("mermaid");
  });
});
