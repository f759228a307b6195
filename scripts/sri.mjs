// Hashes of a built file's bytes, shared by the build's post-build steps (split-app.mjs,
// bundle-css.mjs, post-build.mjs): its Subresource Integrity value, in the form Trunk writes into
// index.html (`integrity="sha384-…"`), and the 16 hex digits that name a file by its content.
import { createHash } from 'node:crypto';

export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** 16 hex digits of the bytes' SHA-256, for a name that changes with the content (`name-<hash>.ext`). */
export const hash16 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
