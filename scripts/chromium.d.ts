export declare const CHROMIUM_PATH: string;
/** Without the background-networking flags Chromium keeps dialling out of this closed network. */
export declare const CHROMIUM_ARGS: string[];
