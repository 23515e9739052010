export { uploads, IMAGE_TYPES } from './uploads-plugin.js';
export type { ReceivedFile, ReceivedUploads, UploadsOptions } from './uploads-plugin.js';
export { localUploadStorage } from './upload-storage.js';
export type { UploadStorage } from './upload-storage.js';
