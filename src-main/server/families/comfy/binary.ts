// ComfyUI's binary WebSocket frames (protocol.BinaryEventTypes): big-endian u32 event type, then
// the payload. Clients strip the 8-byte header of PREVIEW_IMAGE frames (`out[8:]`).
export const PREVIEW_IMAGE = 1;
export const TEXT = 3;
export const PREVIEW_IMAGE_WITH_METADATA = 4;

export type PreviewFormat = 'jpeg' | 'png';

/** [u32 1][u32 format: 1 JPEG, 2 PNG][image bytes] */
export function previewFrame(image: Buffer, format: PreviewFormat): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(PREVIEW_IMAGE, 0);
  head.writeUInt32BE(format === 'jpeg' ? 1 : 2, 4);
  return Buffer.concat([head, image]);
}

export interface PreviewMetadata {
  node_id: string;
  prompt_id: string;
  display_node_id: string;
  parent_node_id: string | null;
  real_node_id: string;
  image_type: 'image/jpeg' | 'image/png';
}

/** [u32 4][u32 json length][json][image bytes], for sockets that negotiated supports_preview_metadata. */
export function previewWithMetadataFrame(image: Buffer, meta: PreviewMetadata): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(PREVIEW_IMAGE_WITH_METADATA, 0);
  head.writeUInt32BE(json.length, 4);
  return Buffer.concat([head, json, image]);
}

/** [u32 3][u32 len(node_id)][node_id][text]: node status text. */
export function textFrame(nodeId: string, text: string): Buffer {
  const id = Buffer.from(nodeId, 'utf8');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(TEXT, 0);
  head.writeUInt32BE(id.length, 4);
  return Buffer.concat([head, id, Buffer.from(text, 'utf8')]);
}

export type DecodedFrame =
  { event: 1; format: PreviewFormat; image: Buffer } | { event: 3; nodeId: string; text: string } | { event: 4; meta: PreviewMetadata; image: Buffer };

/** The inverse, for tests and for our own clients. */
export function decodeFrame(buf: Buffer): DecodedFrame {
  if (buf.length < 8) throw new Error('binary frame shorter than its 8-byte header');
  const event = buf.readUInt32BE(0);
  const second = buf.readUInt32BE(4);
  if (event === PREVIEW_IMAGE) return { event, format: second === 2 ? 'png' : 'jpeg', image: buf.subarray(8) };
  if (event === TEXT) return { event, nodeId: buf.subarray(8, 8 + second).toString('utf8'), text: buf.subarray(8 + second).toString('utf8') };
  if (event === PREVIEW_IMAGE_WITH_METADATA) {
    const meta = JSON.parse(buf.subarray(8, 8 + second).toString('utf8')) as PreviewMetadata;
    return { event, meta, image: buf.subarray(8 + second) };
  }
  throw new Error(`unknown binary event type ${event}`);
}
