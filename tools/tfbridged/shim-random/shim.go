// Package shim exposes the upstream Terraform random provider's internal
// package. Its module path (set by build.sh) sits under the upstream module's
// declared path (github.com/terraform-providers/terraform-provider-random) so
// that the internal import is allowed.
package shim

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"
	random "github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider returns the upstream provider.
func NewProvider() provider.Provider { return random.New() }
