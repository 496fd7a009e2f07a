import { it } from "vitest";
it("probe", async () => {
  const out: string[] = [];
  for (const f of ["gzip", "deflate", "deflate-raw", "br", "brotli", "zstd"]) {
    try { new DecompressionStream(f as CompressionFormat); out.push(`D ${f} ok`); } catch (e) { out.push(`D ${f} ${String(e)}`); }
    try { new CompressionStream(f as CompressionFormat); out.push(`C ${f} ok`); } catch (e) { out.push(`C ${f} ${String(e)}`); }
  }
  for (const l of ["utf-8", "iso-8859-1", "latin1", "windows-1252", "utf-16le", "utf-16be", "shift_jis", "euc-jp", "gbk", "iso-8859-2", "koi8-r", "windows-1251", "big5", "bogus"]) {
    try { const d = new TextDecoder(l); out.push(`T ${l} ok ${d.encoding} ${d.decode(new Uint8Array([0x63,0x61,0x66,0xe9,0x80]))}`); } catch (e) { out.push(`T ${l} ${String(e)}`); }
  }
  console.log(out.join("\n"));
});
