// Upstream schemas for every object the program emits: kubernetes-models, @kubernetes-models/istio, and a
// strict JSON Schema for the legacy v1alpha1 Policy (removed from Istio, so no model ships it).
import * as path from "path";
import Ajv from "ajv";
import { certManagerValidators } from "./certManagerCrds";

// The model packages are ESM-only; TypeScript's CommonJS output would turn import() into require().
const esmImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<any>;
const modulePath = (p: string) => path.join(__dirname, "..", "..", "node_modules", p, "index.js");

export type Validator = (obj: any) => void;

/** apiVersion/kind -> a function that throws with the schema's message when the object is invalid. */
export async function loadValidators(): Promise<Map<string, Validator>> {
    const core = await esmImport(modulePath("kubernetes-models/v1"));
    const apps = await esmImport(modulePath("kubernetes-models/apps/v1"));
    const rbac = await esmImport(modulePath("kubernetes-models/rbac.authorization.k8s.io/v1"));
    const net1 = await esmImport(modulePath("@kubernetes-models/istio/networking.istio.io/v1"));
    const net3 = await esmImport(modulePath("@kubernetes-models/istio/networking.istio.io/v1alpha3"));
    const sec1 = await esmImport(modulePath("@kubernetes-models/istio/security.istio.io/v1"));
    const model =
        (M: any): Validator =>
        (obj) =>
            new M(obj).validate();
    const ajv = new Ajv({ allErrors: true });
    const policySchema = require(path.join(__dirname, "..", "fixtures", "schemas", "authentication.istio.io-v1alpha1-Policy.json"));
    const validatePolicy = ajv.compile(policySchema);
    const policy: Validator = (obj) => {
        if (!validatePolicy(obj)) {
            throw new Error(ajv.errorsText(validatePolicy.errors));
        }
    };
    return new Map<string, Validator>([
        ["v1/Secret", model(core.Secret)],
        ["v1/ConfigMap", model(core.ConfigMap)],
        ["v1/Service", model(core.Service)],
        ["v1/ServiceAccount", model(core.ServiceAccount)],
        ["apps/v1/Deployment", model(apps.Deployment)],
        ["rbac.authorization.k8s.io/v1/Role", model(rbac.Role)],
        ["rbac.authorization.k8s.io/v1/RoleBinding", model(rbac.RoleBinding)],
        ["networking.istio.io/v1/Gateway", model(net1.Gateway)],
        ["networking.istio.io/v1/VirtualService", model(net1.VirtualService)],
        ["networking.istio.io/v1alpha3/Gateway", model(net3.Gateway)],
        ["networking.istio.io/v1alpha3/VirtualService", model(net3.VirtualService)],
        ["security.istio.io/v1/RequestAuthentication", model(sec1.RequestAuthentication)],
        ["security.istio.io/v1/AuthorizationPolicy", model(sec1.AuthorizationPolicy)],
        ["authentication.istio.io/v1alpha1/Policy", policy],
        ...certManagerValidators(),
    ]);
}
