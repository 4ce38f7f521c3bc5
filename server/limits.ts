import { MAX_FRAME_BYTES } from '../src/lib/image-type.ts'

/** Limits from the contract: JPEG or PNG, at most 20 MB each (shared/seeds/001); the studio checks the same. */
export const MAX_IMAGE_BYTES = MAX_FRAME_BYTES

const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4

/** Room for the JSON around the frames: prompts and parameters, with a data: prefix on each frame. */
export const JSON_OVERHEAD_BYTES = 256 * 1024

/** A submit body may carry two 20 MB frames in base64 plus the JSON, and no more. */
export const MAX_BODY_BYTES = 2 * base64Length(MAX_IMAGE_BYTES) + JSON_OVERHEAD_BYTES
