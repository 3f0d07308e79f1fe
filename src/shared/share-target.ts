/** Where the service worker leaves an image shared to the installed app, for the page to pick up. */
export const SHARE_TARGET_PATH = './share-target';
export const SHARED_IMAGE_CACHE = 'florence2-shared-image';
export const SHARED_IMAGE_KEY = './shared-image';
