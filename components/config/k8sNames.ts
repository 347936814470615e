// The name forms the Kubernetes API server enforces (k8s.io/apimachinery/pkg/util/validation), as problems.

const label1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const label1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedPart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const configMapKey = /^[-._a-zA-Z0-9]+$/;

/** IsDNS1123Label: namespaces, volume names, label-form object names. */
export function dns1123LabelProblem(value: string): string | undefined {
    if (value.length > 63) {
        return `is ${value.length} characters long; a DNS-1123 label has at most 63`;
    }
    return label1123.test(value)
        ? undefined
        : "is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending alphanumeric)";
}

/** IsDNS1035Label: Service names (ValidateServiceName), which must also start with a letter. */
export function dns1035LabelProblem(value: string): string | undefined {
    if (value.length > 63) {
        return `is ${value.length} characters long; a Service name (DNS-1035 label) has at most 63`;
    }
    return label1035.test(value)
        ? undefined
        : "is not a DNS-1035 label, the form of Service names (lower-case letters, digits and '-', starting with a letter)";
}

/** IsDNS1123Subdomain: Secrets, Deployments, ServiceAccounts, custom resources. */
export function dns1123SubdomainProblem(value: string): string | undefined {
    if (value.length > 253) {
        return `is ${value.length} characters long; a DNS-1123 subdomain has at most 253`;
    }
    return value.split(".").every((l) => label1123.test(l))
        ? undefined
        : "is not a DNS-1123 subdomain (dot-separated lower-case labels of letters, digits and '-')";
}

/** IsQualifiedName: a label key, `[prefix/]name` with a DNS-1123 subdomain prefix and a 63-character name. */
export function labelKeyProblem(key: string): string | undefined {
    const parts = key.split("/");
    if (parts.length > 2) {
        return "has more than one '/'; a label key is [prefix/]name";
    }
    const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (prefix !== undefined) {
        if (prefix === "") {
            return "has an empty prefix before '/'";
        }
        const p = dns1123SubdomainProblem(prefix);
        if (p) {
            return `has a prefix that ${p}`;
        }
    }
    if (name.length === 0 || name.length > 63) {
        return `has a name part of ${name.length} characters; it must have 1 to 63`;
    }
    return qualifiedPart.test(name)
        ? undefined
        : "has a name part that is not letters, digits, '-', '_' and '.' starting and ending alphanumeric";
}

/** IsValidLabelValue: empty, or at most 63 characters of the qualified-name alphabet. */
export function labelValueProblem(value: string): string | undefined {
    if (value.length > 63) {
        return `is ${value.length} characters long; a label value has at most 63`;
    }
    return value === "" || qualifiedPart.test(value)
        ? undefined
        : "is not a label value (letters, digits, '-', '_' and '.', starting and ending alphanumeric)";
}

/** IsConfigMapKey: Secret data keys. */
export function secretKeyProblem(key: string): string | undefined {
    return key.length <= 253 && configMapKey.test(key) ? undefined : "is not a Secret data key (letters, digits, '-', '_' and '.')";
}
