import { crc32, deflateRawSync } from 'node:zlib';

/** For the specs of the upload readers (zip-guard, xlsx-reader): zips built byte by byte, hostile ones too. */

/** A zip of deflated parts; `declared` overrides the uncompressed size written, `flags` the general-purpose flags. */
export function zip(parts: { name: string; data: Buffer; declared?: number; flags?: number }[]): Buffer {
  const out: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const data = deflateRawSync(part.data);
    const header = (central: boolean) => {
      const h = Buffer.alloc(central ? 46 : 30);
      h.writeUInt32LE(central ? 0x02014b50 : 0x04034b50, 0);
      const base = central ? 2 : 0;
      h.writeUInt16LE(part.flags ?? 0, 6 + base);
      h.writeUInt16LE(8, 8 + base);
      h.writeUInt32LE(crc32(part.data), 14 + base);
      h.writeUInt32LE(data.length, 18 + base);
      h.writeUInt32LE(part.declared ?? part.data.length, 22 + base);
      h.writeUInt16LE(name.length, 26 + base);
      if (central) h.writeUInt32LE(offset, 42);
      return h;
    };
    directory.push(header(true), name);
    const local = header(false);
    out.push(local, name, data);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, cd, end]);
}
