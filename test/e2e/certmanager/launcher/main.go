// cert-manager-launcher runs cert-manager's own certificate and issuer controllers (the root module's
// pkg/controller/...) against a cluster, for the end-to-end checks. The upstream controller binary is a separate
// module the Go proxy does not serve, so this wires the same registered controllers itself: no webhook, no
// cainjector, no ACME, no leader election, no metrics or health servers.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/klog/v2"

	"github.com/cert-manager/cert-manager/pkg/controller"
	logf "github.com/cert-manager/cert-manager/pkg/logs"

	// Each import registers its controllers (init) with controller.Known().
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/approver"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/ca"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificaterequests/selfsigned"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/issuing"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/keymanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/readiness"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/requestmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/revisionmanager"
	_ "github.com/cert-manager/cert-manager/pkg/controller/certificates/trigger"
	_ "github.com/cert-manager/cert-manager/pkg/controller/clusterissuers"
	_ "github.com/cert-manager/cert-manager/pkg/controller/issuers"
	// Issuer implementations the issuers controllers check for readiness.
	_ "github.com/cert-manager/cert-manager/pkg/issuer/ca"
	_ "github.com/cert-manager/cert-manager/pkg/issuer/selfsigned"
)

// What a cluster needs for the CA and self-signed issuers, namespaced and cluster-scoped.
var defaultControllers = []string{
	"issuers",
	"clusterissuers",
	"certificaterequests-approver",
	"certificaterequests-issuer-ca",
	"certificaterequests-issuer-selfsigned",
	"certificates-trigger",
	"certificates-key-manager",
	"certificates-request-manager",
	"certificates-issuing",
	"certificates-readiness",
	"certificates-revision-manager",
}

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig of the cluster")
	clusterNs := flag.String("cluster-resource-namespace", "cert-manager", "namespace of ClusterIssuer Secrets")
	controllers := flag.String("controllers", strings.Join(defaultControllers, ","), "controllers to run (comma-separated)")
	workers := flag.Int("workers", 2, "workers per controller")
	minBackoff := flag.Duration("min-backoff", 10*time.Second, "first retry delay of a failed CertificateRequest (upstream: 1h)")
	klogFlags := flag.NewFlagSet("klog", flag.ExitOnError)
	klog.InitFlags(klogFlags)
	verbosity := flag.String("v", "2", "log verbosity (cert-manager levels: 2 info, 4 debug)")
	flag.Parse()
	_ = klogFlags.Set("v", *verbosity)
	logf.InitLogs()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *kubeconfig, *clusterNs, strings.Split(*controllers, ","), *workers, *minBackoff); err != nil {
		fmt.Fprintf(os.Stderr, "cert-manager-launcher: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, kubeconfig, clusterNs string, names []string, workers int, minBackoff time.Duration) error {
	log := logf.FromContext(ctx)
	known := controller.Known()
	for _, n := range names {
		if _, ok := known[n]; !ok {
			return fmt.Errorf("unknown controller %q; registered: %s", n, strings.Join(sortedKeys(known), ", "))
		}
	}
	// ACME quantities are parsed by the context even though no ACME controller runs.
	zero := resource.MustParse("0")
	factory, err := controller.NewContextFactory(ctx, controller.ContextOptions{
		Kubeconfig:         kubeconfig,
		KubernetesAPIQPS:   20,
		KubernetesAPIBurst: 50,
		IssuerOptions:      controller.IssuerOptions{ClusterResourceNamespace: clusterNs},
		ACMEOptions: controller.ACMEOptions{
			HTTP01SolverResourceRequestCPU:    zero,
			HTTP01SolverResourceRequestMemory: zero,
			HTTP01SolverResourceLimitsCPU:     zero,
			HTTP01SolverResourceLimitsMemory:  zero,
		},
		CertificateOptions: controller.CertificateOptions{
			CertificateRequestMinimumBackoffDuration: minBackoff,
			CertificateRequestMaximumBackoffDuration: 32 * minBackoff,
		},
	})
	if err != nil {
		return err
	}
	base, err := factory.Build()
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, n := range names {
		iface, err := known[n](factory)
		if err != nil {
			return fmt.Errorf("controller %s: %w", n, err)
		}
		log.Info("starting controller", "controller", n)
		g.Go(func() error { return iface.Run(workers, gctx) })
	}
	base.SharedInformerFactory.Start(gctx.Done())
	base.KubeSharedInformerFactory.Start(gctx.Done())
	base.HTTP01ResourceMetadataInformersFactory.Start(gctx.Done())
	log.Info("controllers running", "controllers", strings.Join(names, ","))
	err = g.Wait()
	base.HTTP01ResourceMetadataInformersFactory.Shutdown()
	base.KubeSharedInformerFactory.Shutdown()
	base.SharedInformerFactory.Shutdown()
	return err
}

func sortedKeys(m map[string]controller.Constructor) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
