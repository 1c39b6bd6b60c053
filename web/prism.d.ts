// Prism's core alone (the 'prismjs' entry also brings markup, CSS and JavaScript): typed as the whole.
declare module 'prismjs/components/prism-core' {
  import Prism from 'prismjs';
  export default Prism;
}
