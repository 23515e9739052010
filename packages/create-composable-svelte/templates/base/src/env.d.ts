/// <reference types="vite/client" />
declare module '*.svelte' {
  import type { Component } from 'svelte';
  // A .svelte module may take any props; each import site knows which.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const component: Component<any>;
  export default component;
}
