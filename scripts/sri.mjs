// Subresource Integrity value for a file's bytes, in the form Trunk writes into index.html
// (`integrity="sha384-…"`). Shared by the build's post-build steps (split-app.mjs, post-build.mjs).
import { createHash } from 'node:crypto';

export const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
