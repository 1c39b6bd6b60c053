// What Vite provides to the worker bundle.
declare module '*?url' {
  const url: string;
  export default url;
}

interface ImportMeta {
  readonly env: { readonly BASE_URL: string; readonly DEV: boolean };
}
