package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// pythonHost is a minimal pulumi-language-python. Upstream's host is a module
// of its own that the Go module proxy reachable here does not serve; this one
// does what the secure-ingress examples need:
//   - GeneratePackage, for `pulumi package gen-sdk --language python`, with
//     upstream's Python SDK generator (pkg/v3/codegen/python);
//   - Run, for a Python program whose interpreter already has its packages
//     (the `virtualenv` runtime option, else python3 on PATH): it runs the
//     SDK's own entry script, pulumi-language-python-exec, shipped in the
//     sdk/v3 module and installed next to this binary.
//
// Dependency installation, program generation and linking are not
// implemented (Unimplemented).
type pythonHost struct {
	baseHost
}

func (h *pythonHost) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return generatePackage(req, func(
		pkg *schema.Package, req *pulumirpc.GeneratePackageRequest, loader schema.ReferenceLoader,
	) (map[string][]byte, error) {
		return pythongen.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), loader)
	})
}

// python is the interpreter of a program: <dir>/<virtualenv>/bin/python when
// Pulumi.yaml names a virtualenv, else python3 from PATH.
func python(info *pulumirpc.ProgramInfo) string {
	if v, ok := option(info, "virtualenv"); ok {
		if venv, isString := v.(string); isString && venv != "" {
			if !filepath.IsAbs(venv) {
				venv = filepath.Join(info.GetRootDirectory(), venv)
			}
			return filepath.Join(venv, "bin", "python")
		}
	}
	return "python3"
}

func (h *pythonHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	shim := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	if _, err := os.Stat(shim); err != nil {
		return nil, fmt.Errorf("the Python SDK's entry script is missing next to this host: %w", err)
	}
	info := req.GetInfo()

	args := withFlags([]string{"-u", shim},
		"monitor", req.GetMonitorAddress(),
		"engine", h.engine(),
		"project", req.GetProject(),
		"root_directory", info.GetRootDirectory(),
		"stack", req.GetStack(),
		"pwd", req.GetPwd(),
		"dry_run", strconv.FormatBool(req.GetDryRun()),
		"parallel", strconv.Itoa(int(req.GetParallel())),
		"organization", req.GetOrganization(),
	)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	env, err := configEnv(req)
	if err != nil {
		return nil, err
	}
	bin := python(info)
	if _, err := exec.LookPath(bin); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("no Python interpreter at %s: %v", bin, err)}, nil
	}
	dir := req.GetPwd()
	if dir == "" {
		dir = info.GetProgramDirectory()
	}
	return runProgram(ctx, bin, args, dir, env), nil
}
