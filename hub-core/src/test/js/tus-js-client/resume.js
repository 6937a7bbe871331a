'use strict';
// Uploads a file with tus-js-client, aborts in the middle of a PATCH once half of the file has been sent, then
// resumes the way an application does: a new Upload finds the stored URL by the file's fingerprint and carries on
// from the offset the server reports. Prints one JSON line for the caller to check; exits non-zero on any failure.
//
//   node resume.js <creation URL> <file> <URL storage file>
const fs = require('fs');
const path = require('path');
const tus = require('tus-js-client');

const [endpoint, file, storage] = process.argv.slice(2);
if (!storage) {
  console.error('usage: node resume.js <creation URL> <file> <URL storage file>');
  process.exit(2);
}
const size = fs.statSync(file).size;
// Several PATCH requests, so the abort lands inside one with others before and after it.
const chunkSize = 4 * 1024 * 1024;

function options(extra) {
  return {
    endpoint,
    chunkSize,
    metadata: { filename: path.basename(file) },
    urlStorage: new tus.FileUrlStorage(storage),
    ...extra,
  };
}

function interrupted() {
  return new Promise((resolve, reject) => {
    let abortedAt = null;
    const upload = new tus.Upload(fs.createReadStream(file), options({
      onProgress(sent) {
        // Progress on a chunk boundary is reported between requests; any other while a PATCH body is streaming.
        if (abortedAt === null && sent >= size / 2 && sent % chunkSize !== 0) {
          abortedAt = sent;
          upload.abort().then(() => resolve({ url: upload.url, abortedAt }), reject);
        }
      },
      onSuccess() {
        reject(new Error('the upload finished before it was aborted'));
      },
      onError: reject,
    }));
    upload.start();
  });
}

async function resumed() {
  const requests = [];
  let resumedFrom = null;
  let settle;
  const done = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  const upload = new tus.Upload(fs.createReadStream(file), options({
    onBeforeRequest(request) {
      requests.push(request.getMethod());
    },
    onAfterResponse(request, response) {
      if (resumedFrom === null && request.getMethod() === 'HEAD') {
        resumedFrom = Number(response.getHeader('Upload-Offset'));
      }
    },
    onSuccess: () => settle.resolve(),
    onError: (error) => settle.reject(error),
  }));
  const previous = await upload.findPreviousUploads();
  if (previous.length !== 1) {
    throw new Error(`expected one stored upload for ${file}, found ${previous.length}`);
  }
  upload.resumeFromPreviousUpload(previous[0]);
  upload.start();
  await done;
  return { url: upload.url, resumedFrom, requests };
}

(async () => {
  const first = await interrupted();
  const second = await resumed();
  console.log(JSON.stringify({ size, chunkSize, first, second }));
  // Keep-alive sockets would hold the process open for a while after the work is done.
  process.exit(0);
})().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
