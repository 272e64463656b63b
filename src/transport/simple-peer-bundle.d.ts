// The prebuilt browserify bundle of simple-peer 9 (UMD, Node built-ins already polyfilled
// inside). peer-link.ts casts it to the @types/simple-peer constructor type.
declare module 'simple-peer/simplepeer.min.js' {
  const SimplePeer: unknown;
  export default SimplePeer;
}
