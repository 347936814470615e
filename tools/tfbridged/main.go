// Command tfbridged serves the upstream Terraform "tls" and "random" providers
// to the Pulumi engine through pulumi-terraform-bridge, as
// pulumi-resource-tls / pulumi-resource-random (chosen by the name it is run
// under: build.sh installs it under both names).
//
// Why it exists: the real providers' Go modules
// (github.com/pulumi/pulumi-tls/provider/v5, github.com/pulumi/pulumi-random/provider/v4)
// are not served by the Go module proxy this project's machines reach, while the
// Terraform providers they wrap and the bridge are. This is the same
// construction as the real providers (bridge + upstream provider, tokens
// matching the npm SDKs), without their extra metadata, docs and state-upgrade
// hooks. It is an e2e stand-in, good for fresh stacks; see versions.env.
//
//	pulumi-resource-tls gen-schema FILE   write the Pulumi package schema (build time)
//	pulumi-resource-tls [engine-address]  serve (what the engine runs)
//
// At run time the schema is read from <binary>.schema.json next to the binary.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shim "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"

	randomshim "github.com/terraform-providers/terraform-provider-random/shim"
	tlsshim "github.com/hashicorp/terraform-provider-tls/shim"
)

// Set at link time from versions.env: the npm SDK versions these stand in for.
var (
	tlsVersion    = "5.0.0-dev"
	randomVersion = "4.0.0-dev"
)

func camel(s string) string {
	parts := strings.Split(s, "_")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

func providerInfo(name string) (tfbridge.ProviderInfo, error) {
	info := tfbridge.ProviderInfo{
		Name:         name,
		License:      "Apache-2.0",
		Description:  "e2e stand-in: upstream Terraform " + name + " provider through pulumi-terraform-bridge",
		MetadataInfo: tfbridge.NewProviderMetadata(nil),
		Resources:    map[string]*tfbridge.ResourceInfo{},
		DataSources:  map[string]*tfbridge.DataSourceInfo{},
		GitHubOrg:    "hashicorp",
	}
	switch name {
	case "tls":
		info.P = pf.ShimProvider(tlsshim.NewProvider())
		info.Version = tlsVersion
	case "random":
		info.P = pf.ShimProvider(randomshim.NewProvider())
		info.Version = randomVersion
	default:
		return info, fmt.Errorf("unknown provider %q (run as pulumi-resource-tls or pulumi-resource-random)", name)
	}
	// Tokens as in the npm SDKs:
	//   tls_private_key  -> tls:index/privateKey:PrivateKey      (prefix dropped)
	//   tls_public_key   -> tls:index/getPublicKey:getPublicKey  (data source)
	//   random_password  -> random:index/randomPassword:RandomPassword (prefix kept)
	resName := func(tf string) string {
		if name == "tls" {
			return camel(strings.TrimPrefix(tf, "tls_"))
		}
		return camel(tf)
	}
	info.P.ResourcesMap().Range(func(tf string, _ shim.Resource) bool {
		n := resName(tf)
		info.Resources[tf] = &tfbridge.ResourceInfo{
			Tok: tokens.Type(name + ":index/" + lowerFirst(n) + ":" + n),
		}
		return true
	})
	info.P.DataSourcesMap().Range(func(tf string, _ shim.Resource) bool {
		n := "get" + resName(tf)
		info.DataSources[tf] = &tfbridge.DataSourceInfo{
			Tok: tokens.ModuleMember(name + ":index/" + n + ":" + n),
		}
		return true
	})
	return info, nil
}

func main() {
	name := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-resource-")
	if n := os.Getenv("TFBRIDGED_PROVIDER"); n != "" {
		name = n
	}
	info, err := providerInfo(name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := context.Background()

	if len(os.Args) == 3 && os.Args[1] == "gen-schema" {
		res, err := pftfgen.GenerateSchema(ctx, pftfgen.GenerateSchemaOptions{ProviderInfo: info, XInMemoryDocs: true})
		if err != nil {
			fmt.Fprintf(os.Stderr, "generating the %s schema: %v\n", name, err)
			os.Exit(1)
		}
		if err := os.WriteFile(os.Args[2], res.ProviderMetadata.PackageSchema, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}

	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	schemaFile := filepath.Join(filepath.Dir(exe), "pulumi-resource-"+name+".schema.json")
	schema, err := os.ReadFile(schemaFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-%s: reading its schema: %v (rebuild with npm run tools)\n", name, err)
		os.Exit(1)
	}
	pf.Main(ctx, name, info, pf.ProviderMetadata{PackageSchema: schema})
}
