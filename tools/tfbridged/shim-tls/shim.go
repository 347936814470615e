// Package shim exposes the upstream Terraform TLS provider's internal package.
// Its module path (set by build.sh) sits under the upstream module's path so
// that the internal import is allowed.
package shim

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"
	tls "github.com/hashicorp/terraform-provider-tls/internal/provider"
)

// NewProvider returns the upstream provider.
func NewProvider() provider.Provider { return tls.New() }
