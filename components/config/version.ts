// Istio `major.minor` comparisons, for the checks that depend on the target Istio version.

/** True when `version` (major.minor) is `major.minor` or later. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
    const [ma, mi] = version.split(".").map(Number);
    return ma > major || (ma === major && mi >= minor);
}
