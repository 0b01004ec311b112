// Writes the packet benchmark's photos into the folder given as the first argument (run by packets.bench.ts).
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * Phone-like photos of about 2 MB: a colour gradient under Gaussian noise (noise keeps JPEG from compressing them
 * to nothing). One in twenty carries GPS coordinates, as photos taken with location on do: those lose their EXIF in
 * originals/ (pixels untouched) and that stripped copy goes into the PDF; the rest go into the PDF byte for byte.
 */
async function makePhotos(dir: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const width = 2400;
    const height = 1800;
    const noise = await sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).raw().toBuffer();
    const gradient = Buffer.from(
      `<svg width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${(i * 37) % 360},70%,45%)"/><stop offset="1" stop-color="hsl(${(i * 37 + 120) % 360},70%,70%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`,
    );
    let image = sharp(noise, { raw: { width, height, channels: 3 } }).composite([{ input: gradient, blend: 'soft-light' }]).jpeg({ quality: 86 });
    const exif = { IFD0: { Make: 'BenchPhone', Model: 'B1' } };
    image = i % 20 === 0 ? image.withExif({ ...exif, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' } }) : image.withExif(exif);
    const path = join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`);
    await image.toFile(path);
  }
}

const [dir, count] = process.argv.slice(2);
if (!dir || !count) throw new Error('usage: packet-photos DIR COUNT');
await makePhotos(dir, Number(count));
