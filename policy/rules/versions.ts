import { PolicyResource, RuleConfig } from "./types";
import { metadata, rec, str } from "./util";

/** The annotation the program puts on Istio objects: the Istio version (major.minor) the stack targets. */
export const ISTIO_VERSION_ANNOTATION = "secure-ingress.dev/istio-version";

export interface IstioVersion {
    major: number;
    minor: number;
    text: string;
}

export function parseVersion(v: string | undefined): IstioVersion | undefined {
    const m = v ? /^v?(\d+)\.(\d+)/.exec(v.trim()) : null;
    return m ? { major: Number(m[1]), minor: Number(m[2]), text: `${m[1]}.${m[2]}` } : undefined;
}

export function versionAtLeast(v: IstioVersion, major: number, minor: number): boolean {
    return v.major > major || (v.major === major && v.minor >= minor);
}

export function annotatedVersion(r: PolicyResource): IstioVersion | undefined {
    return parseVersion(str(rec(metadata(r)["annotations"])?.[ISTIO_VERSION_ANNOTATION]));
}

/**
 * The Istio version a check should assume: the `istioVersion` config first, then the resource's own
 * annotation, then the highest version annotated on any resource of the stack (when given).
 */
export function declaredIstioVersion(config: RuleConfig, r?: PolicyResource, all?: PolicyResource[]): IstioVersion | undefined {
    const fromConfig = parseVersion(str(config["istioVersion"]));
    if (fromConfig) {
        return fromConfig;
    }
    const own = r ? annotatedVersion(r) : undefined;
    if (own) {
        return own;
    }
    let best: IstioVersion | undefined;
    for (const o of all ?? []) {
        const v = annotatedVersion(o);
        if (v && (!best || versionAtLeast(v, best.major, best.minor + 1))) {
            best = v;
        }
    }
    return best;
}

export const istioVersionConfig = {
    istioVersion: {
        type: "string" as const,
        description: `Istio version (major.minor) the stack targets; overrides the ${ISTIO_VERSION_ANNOTATION} annotation.`,
    },
};
