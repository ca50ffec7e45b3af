/** The tool's version, as package.json says (kept in one place for output headers). */
export const TOOL_VERSION = '0.1.0';
