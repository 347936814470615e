// The environment and troubleshooting commands of `target: gateway-api`: the address from the Gateway's status, its
// listener ports, the Gateway's and routes' conditions, and the Deployment Istio generated. Pure: data in, strings out.
import { SecureIngressConfig } from "../config/schema";
import { credentialName, gatewayApiNames, gatewayNameLabel, httpPortName, httpsPortName } from "../naming";
import { shellQuote as q } from "./shell";

const jsonpath = (expr: string) => q(`jsonpath=${expr}`);

/** The `export` lines of INGRESS_HOST, INGRESS_PORT and SECURE_INGRESS_PORT, read from the Gateway as the task does. */
export function gatewayApiEndpointExports(c: SecureIngressConfig): string[] {
    const ns = q(c.gateway.workloadNamespace);
    const gw = `kubectl -n ${ns} get gateway ${q(c.gateway.name)}`;
    const port = (listener: string) => `$(${gw} -o ${jsonpath(`{.spec.listeners[?(@.name=="${listener}")].port}`)})`;
    const lines = [
        `kubectl -n ${ns} wait --for=condition=programmed gateway ${q(c.gateway.name)} --timeout=120s`,
        `export INGRESS_HOST=$(${gw} -o ${jsonpath("{.status.addresses[0].value}")})`,
    ];
    if (c.gateway.http.enabled) {
        lines.push(`export INGRESS_PORT=${port(httpPortName)}`);
    }
    lines.push(`export SECURE_INGRESS_PORT=${port(httpsPortName(c.hosts[0]))}`);
    return lines;
}

/** The task's troubleshooting steps for a Gateway API Gateway. */
export function gatewayApiTroubleshooting(c: SecureIngressConfig): string[] {
    const ns = q(c.gateway.workloadNamespace);
    const routeNs = q(c.gateway.namespace);
    const names = gatewayApiNames(c.gateway.name, c.gatewayApi.gatewayClassName);
    const conditions = '{range .status.conditions[*]}{.type}={.status} {.reason}{"\\n"}{end}';
    const listenerConditions = '{range .status.listeners[*]}{.name}:{range .conditions[*]} {.type}={.status}({.reason}){end}{"\\n"}{end}';
    const routeConditions =
        '{range .status.parents[*]}{.parentRef.sectionName}:{range .conditions[*]} {.type}={.status}({.reason}){end}{"\\n"}{end}';
    const routes = [
        ...c.hosts.map((h) => h.name),
        ...(c.gateway.http.enabled && c.gateway.http.httpsRedirect ? [names.redirectRoute] : []),
    ];
    // The existing workload (unmanaged mode) is the configured Service's; Istio's own carries the Gateway's name label.
    const selector = c.gateway.workload === "none" ? undefined : q(`${gatewayNameLabel}=${c.gateway.name}`);
    const target = selector ? q(`deploy/${names.workload}`) : q(`svc/${c.gateway.workloadName}`);
    const out = [
        `kubectl -n ${ns} get gateway ${q(c.gateway.name)} -o ${jsonpath(conditions)}`,
        `kubectl -n ${ns} get gateway ${q(c.gateway.name)} -o ${jsonpath(listenerConditions)}`,
        ...routes.map((r) => `kubectl -n ${routeNs} get httproute ${q(r)} -o ${jsonpath(routeConditions)}`),
        "echo INGRESS_HOST=$INGRESS_HOST, SECURE_INGRESS_PORT=$SECURE_INGRESS_PORT",
        `istioctl proxy-config secret ${target} -n ${ns}`,
        ...c.hosts.map(
            (h) =>
                `kubectl -n ${ns} get secret ${q(credentialName(h))} -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -text -noout | grep 'Subject:'`,
        ),
    ];
    if (selector) {
        out.push(
            `kubectl -n ${ns} get deploy,svc,sa ${q(names.workload)}`,
            `kubectl logs -n ${ns} -l ${selector}`,
            `kubectl delete pod -n ${ns} -l ${selector}`,
        );
    } else {
        out.push(`kubectl -n ${ns} get svc ${q(c.gateway.workloadName)}`);
    }
    return out;
}
