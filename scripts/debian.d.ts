/** Whether a command is on the PATH (or, with a slash, whether the file exists). */
export declare function has(command: string): boolean;
/** The Debian packages of the commands in `needs` (command → package) that are missing. */
export declare function missingPackages(needs: Record<string, string>): string[];
/** Installs the packages as root on Debian; otherwise throws an Error naming them and how to install them. */
export declare function installDebianPackages(packages: string[], who?: string): void;
