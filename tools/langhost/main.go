// Command pulumi-language-nodejs is a small Node.js language host for the
// secure-ingress end-to-end harness.
//
// Why it exists: the upstream host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), which the
// Go module proxy reachable from this project's machines does not serve (403
// "This module version is not available"), and its directory is excluded from the
// sdk/v3 module zip. This host implements only what `pulumi up/preview/destroy`
// and `pulumi preview --policy-pack` need for a TypeScript project whose
// dependencies are already installed (npm ci): it starts
// `node @pulumi/pulumi/cmd/run` for programs and
// `node @pulumi/pulumi/cmd/run-policy-pack` for policy packs, both resolved from
// the program's own node_modules, exactly the entry points the SDK ships.
//
// Not implemented (returns Unimplemented, the CLI falls back or reports it):
// project templates, program generation, packing, dependency installation.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// version is set at link time (-X main.version=...) to the Pulumi version this
// host is paired with; see test/e2e/tools/versions.env.
var version = "3.0.0-dev"

// Exit code with which @pulumi/pulumi's run script says "the user already saw a
// good error message" (nodeJSProcessExitedAfterShowingUserActionableMessage).
const exitAfterUserActionableMessage = 32

// host is the Node.js host.
type host struct {
	baseHost
}

func main() {
	// The CLI launches language hosts as `pulumi-language-nodejs [flags] <engine-address>`.
	// Accept and ignore any -flag/-flag=value so newer CLIs do not break us.
	var engineAddress string
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if !strings.Contains(a, "=") && (a == "-tracing" || a == "--tracing" || a == "-root" || a == "--root") &&
				i+1 < len(args) {
				i++
			}
			continue
		}
		engineAddress = a
	}

	// One binary, two hosts: installed as pulumi-language-python it is the
	// Python host (python.go), otherwise the Node.js host.
	var server pulumirpc.LanguageRuntimeServer = &host{baseHost{engineAddress: engineAddress}}
	if strings.HasPrefix(filepath.Base(os.Args[0]), "pulumi-language-python") {
		server = &pythonHost{baseHost{engineAddress: engineAddress}}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, server)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: could not start the gRPC server: %v\n", filepath.Base(os.Args[0]), err)
		os.Exit(1)
	}
	// The spawner reads the port from our first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "%s: server stopped: %v\n", filepath.Base(os.Args[0]), err)
		os.Exit(1)
	}
}

func (h *host) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimSpace(string(out)),
		Metadata:   map[string]string{"host": "secure-ingress e2e language host"},
	}, nil
}

func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	srv grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err == nil {
		return nil
	}
	return status.Errorf(codes.FailedPrecondition,
		"no node_modules in %s: run `npm ci --ignore-scripts` first (this host does not install packages)", dir)
}

// resolveModule asks node where a module lives, starting from dir.
func resolveModule(dir, module string) (string, error) {
	script := fmt.Sprintf("console.log(require.resolve(%q, {paths: [%q]}))", module, dir)
	cmd := exec.Command("node", "-e", script)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not resolve %s from %s (has `npm ci` been run?): %v: %s",
			module, dir, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// option reads a runtime option from Pulumi.yaml's `runtime.options`.
func option(info *pulumirpc.ProgramInfo, name string) (any, bool) {
	if info == nil || info.GetOptions() == nil {
		return nil, false
	}
	v, ok := info.GetOptions().GetFields()[name]
	if !ok {
		return nil, false
	}
	return v.AsInterface(), true
}

// configEnv is the environment through which every Pulumi language SDK reads
// the stack's config: PULUMI_CONFIG (key -> value) and PULUMI_CONFIG_SECRET_KEYS.
func configEnv(req *pulumirpc.RunRequest) ([]string, error) {
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, fmt.Errorf("serialising config: %w", err)
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, fmt.Errorf("serialising secret config keys: %w", err)
	}
	return append(os.Environ(), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secrets)), nil
}

// typescriptEnv is how the SDK's entry points learn Pulumi.yaml's (or
// PulumiPlugin.yaml's) `typescript` and `tsconfig` runtime options: TypeScript
// unless switched off.
func typescriptEnv(info *pulumirpc.ProgramInfo) []string {
	var env []string
	typescript := true
	if v, ok := option(info, "typescript"); ok {
		if b, isBool := v.(bool); isBool {
			typescript = b
		}
	}
	if typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if v, ok := option(info, "tsconfig"); ok {
		if s, isString := v.(string); isString && s != "" {
			env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+s)
		}
	}
	return env
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram()
	}
	if entry == "" {
		entry = "."
	}

	runPath, err := resolveModule(programDir, "@pulumi/pulumi/cmd/run")
	if err != nil {
		return nil, err
	}

	args := withFlags([]string{runPath},
		"monitor", req.GetMonitorAddress(),
		"engine", h.engine(),
		"organization", req.GetOrganization(),
		"project", req.GetProject(),
		"stack", req.GetStack(),
		"pwd", programDir,
		"root-directory", info.GetRootDirectory(),
	)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args = withFlags(args, "parallel", strconv.Itoa(int(req.GetParallel())))
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	env, err := configEnv(req)
	if err != nil {
		return nil, err
	}
	env = append(env, typescriptEnv(info)...)
	if v, ok := option(info, "nodeargs"); ok {
		if s, isString := v.(string); isString && s != "" {
			args = append(strings.Fields(s), args...)
		}
	}

	return runProgram(ctx, "node", args, programDir, env), nil
}

// runProgram runs a language's program process with the engine's stdio and
// turns its exit into the RunResponse the engine expects: both SDKs exit 32
// after they have shown the user the error (Bail: nothing more to print).
func runProgram(ctx context.Context, bin string, args []string, dir string, env []string) *pulumirpc.RunResponse {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.ExitStatus() == exitAfterUserActionableMessage {
				return &pulumirpc.RunResponse{Bail: true}
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run %s): %v", bin, err),
		}
	}
	return &pulumirpc.RunResponse{}
}

// GeneratePackage writes a Node.js SDK for a package schema
// (`pulumi package gen-sdk --language nodejs`).
func (h *host) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return generatePackage(req, func(
		pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader,
	) (map[string][]byte, error) {
		return nodejsgen.GeneratePackage("pulumi-language-nodejs", pkg, req.GetExtraFiles(),
			req.GetLocalDependencies(), req.GetLocal(), loader)
	})
}

// streamWriter forwards a child's output to the RunPlugin stream.
type streamWriter struct {
	mu     *sync.Mutex
	srv    grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	buf := append([]byte(nil), p...)
	var resp pulumirpc.RunPluginResponse
	if w.stderr {
		resp.Output = &pulumirpc.RunPluginResponse_Stderr{Stderr: buf}
	} else {
		resp.Output = &pulumirpc.RunPluginResponse_Stdout{Stdout: buf}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.srv.Send(&resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

// RunPlugin starts a plugin written in Node.js. The CLI uses it for policy packs
// (kind "analyzer") and for source-based resource plugins: a directory with a
// PulumiPlugin.yaml whose runtime is nodejs, such as a TypeScript component
// package (`pulumi package get-schema ./`, `pulumi package gen-sdk`, or a
// program that names the directory in its `packages`).
//
// The two kinds take their directory in different places, as the SDK's entry
// points expect:
//   - analyzer: node run-policy-pack <args...> <pack-dir>, run in the pack's
//     directory (it reads ./package.json for its name and version);
//   - resource: node run-plugin <plugin-dir> <args...>, run in the CLI's
//     working directory; run-plugin loads the package (package.json `main`),
//     finds its exported ComponentResource classes and serves them through the
//     SDK's component provider host, whose schema comes from the TypeScript
//     sources (the analyzer), and the args are the provider's own (the engine
//     address).
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, srv grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	if dir == "" {
		dir = req.GetProgram()
	}
	analyzer := req.GetKind() == "analyzer"
	module := "@pulumi/pulumi/cmd/run-plugin"
	if analyzer {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	script, err := resolveModule(dir, module)
	if err != nil {
		return err
	}
	args := []string{script}
	if v, ok := option(info, "nodeargs"); ok {
		if s, isString := v.(string); isString && s != "" {
			args = append(strings.Fields(s), args...)
		}
	}
	if analyzer {
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
	}

	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	env = append(env, typescriptEnv(info)...)
	cmd := exec.CommandContext(srv.Context(), "node", args...)
	cmd.Dir = dir
	if !analyzer && req.GetPwd() != "" {
		cmd.Dir = req.GetPwd()
	}
	cmd.Env = env
	var mu sync.Mutex
	cmd.Stdout = streamWriter{mu: &mu, srv: srv}
	cmd.Stderr = streamWriter{mu: &mu, srv: srv, stderr: true}

	code := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return fmt.Errorf("running %s: %w", module, err)
		}
		code = exitErr.ExitCode()
	}
	mu.Lock()
	defer mu.Unlock()
	return srv.Send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
	})
}

var _ io.Writer = streamWriter{}
