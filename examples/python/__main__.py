"""SecureIngress from Python: the program owns the Kubernetes provider and passes it to the component."""

import pulumi
import pulumi_kubernetes as k8s
import pulumi_secure_ingress as si

config = pulumi.Config()
provider = k8s.Provider("k8s", kubeconfig=config.get("kubeconfig") or "", enable_secret_mutable=True)

edge = si.SecureIngress(
    "edge",
    hosts=[
        si.HostArgsArgs(
            name="httpbin",
            host="httpbin.example.com",
            tls=si.TlsMode.MUTUAL,
            routes=[
                si.RouteArgsArgs(
                    match=[si.UriMatchArgsArgs(prefix="/status")],
                    destination=si.RouteDestinationArgsArgs(host="httpbin.default.svc.cluster.local", port=8000),
                )
            ],
        )
    ],
    gateway=si.GatewayArgsArgs(
        name="py-edge",
        namespace="py-edge",
        workload_namespace="py-edge",
        workload_name="py-edge-gateway",
        selector={"istio": "py-edge-gateway"},
        workload=si.WorkloadMode.MANAGED,
        secret_delivery=si.SecretDelivery.SDS,
        service_type=si.ServiceType.CLUSTER_IP,
    ),
    skip_await=config.get_bool("skipAwait") or False,
    opts=pulumi.ResourceOptions(providers=[provider]),
)

pulumi.export("secretNames", edge.secret_names)
pulumi.export("testCommands", edge.test_commands)
