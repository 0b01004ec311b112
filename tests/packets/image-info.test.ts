// imageInfo decides, before anything relies on an image, whether it can be drawn. A plain JPEG that the packet
// carries byte for byte is not test-decoded (that cost a third of a full decode per photo): its intact end stands
// for it. Everything else, and a JPEG whose end is not the end-of-image marker, is decoded to a thumbnail first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { embeddableAsIs, endsWithJpegEoi, imageInfo, UndecodableImage } from '../../electron/core/packets/images.js';

const noise = (width: number, height: number) => {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  return sharp(data, { raw: { width, height, channels: 3 } });
};

async function refusedAs(data: Buffer, part: 'header' | 'data') {
  await assert.rejects(imageInfo(data), (err: unknown) => err instanceof UndecodableImage && err.part === part);
}

describe('imageInfo: whether an image can be drawn', () => {
  it('a whole JPEG, as a phone writes it: its info, embeddable as it is', async () => {
    const jpeg = await noise(600, 400).jpeg().toBuffer();
    assert.equal(endsWithJpegEoi(jpeg), true);
    const info = await imageInfo(jpeg);
    assert.deepEqual([info.format, info.width, info.height, info.hasGps], ['jpeg', 600, 400, false]);
    assert.equal(embeddableAsIs(info, jpeg.length), true);
  });

  it('a JPEG cut short, at any point past its header, is refused as damaged picture data', async () => {
    const jpeg = await noise(600, 400).jpeg().toBuffer();
    for (const keep of [0.3, 0.5, 0.9, (jpeg.length - 1) / jpeg.length]) {
      const cut = jpeg.subarray(0, Math.floor(jpeg.length * keep));
      assert.equal(endsWithJpegEoi(cut), false);
      await refusedAs(cut, 'data');
    }
  });

  it('a JPEG cut short that carries a location (its EXIF is removed, its pixels kept) is refused too', async () => {
    const jpeg = await noise(600, 400)
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' } })
      .toBuffer();
    assert.equal((await imageInfo(jpeg)).hasGps, true);
    await refusedAs(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'data');
  });

  it('a whole JPEG with data after its end (a motion photo carries its video there) is decoded, and drawn', async () => {
    const jpeg = await noise(600, 400).jpeg().toBuffer();
    const motion = Buffer.concat([jpeg, Buffer.from('ftypmp42 a short video follows the picture')]);
    assert.equal(endsWithJpegEoi(motion), false);
    assert.equal((await imageInfo(motion)).width, 600);
  });

  it('a PNG is always decoded first: one cut short is refused, a whole one is not', async () => {
    const png = await noise(300, 200).png().toBuffer();
    assert.equal((await imageInfo(png)).format, 'png');
    await refusedAs(png.subarray(0, Math.floor(png.length / 2)), 'data');
  });

  it('bytes that only claim to be an image: the header', async () => {
    await refusedAs(Buffer.from('not an image at all, though named .jpg'), 'header');
  });
});
