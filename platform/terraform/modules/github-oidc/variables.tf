variable "deploy_ref" {
  description = "Git ref whose workflow runs may act as the deployer and the Terraform applier."
  type        = string
  default     = "refs/heads/main"

  validation {
    condition     = startswith(var.deploy_ref, "refs/")
    error_message = "deploy_ref must be a full ref such as \"refs/heads/main\"."
  }
}

variable "deployer_project_roles" {
  description = "Project roles of the deployer: deploy revisions and move traffic (run.developer), read SLO data for the error-budget gate (monitoring.viewer). Image push and acting as the runtime identity are granted on those resources by the cloud-run-service module."
  type        = list(string)
  default     = ["roles/run.developer", "roles/monitoring.viewer"]

  validation {
    condition     = length(setintersection(var.deployer_project_roles, ["roles/owner", "roles/editor"])) == 0
    error_message = "deployer_project_roles must not contain roles/owner or roles/editor."
  }
}

variable "github_repository" {
  description = "The only repository whose workflows may authenticate, as \"owner/name\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must be written \"owner/name\"."
  }
}

variable "github_repository_owner_id" {
  description = "Numeric ID of the repository owner. Names can be re-registered after a rename; the ID cannot."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+$", var.github_repository_owner_id))
    error_message = "github_repository_owner_id must be the numeric owner ID (api.github.com/users/OWNER, field id)."
  }
}

variable "name" {
  description = "Prefix of the pool, provider and service account IDs."
  type        = string
  default     = "github"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{3,16}$", var.name))
    error_message = "name must be 4-17 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "project_id" {
  description = "Project that holds the pool and the service accounts."
  type        = string
}

variable "state_bucket" {
  description = "GCS bucket of the Terraform state (made by hand at bootstrap): the planner may read it, the applier may also write and lock it."
  type        = string
}

variable "terraform_apply_roles" {
  description = "Project roles of the identity that applies Terraform from the deploy ref: exactly what the stack manages."
  type        = list(string)
  default = [
    "roles/artifactregistry.admin",
    "roles/iam.serviceAccountAdmin",
    "roles/iam.serviceAccountUser",
    "roles/iam.workloadIdentityPoolAdmin",
    "roles/monitoring.editor",
    "roles/resourcemanager.projectIamAdmin",
    "roles/run.admin",
    "roles/serviceusage.serviceUsageAdmin",
  ]

  validation {
    condition     = length(setintersection(var.terraform_apply_roles, ["roles/owner", "roles/editor"])) == 0
    error_message = "terraform_apply_roles must list the admin roles the stack needs, not roles/owner or roles/editor."
  }
}

variable "terraform_plan_roles" {
  description = "Project roles of the identity that plans Terraform on pull requests: read-only."
  type        = list(string)
  default     = ["roles/viewer", "roles/iam.securityReviewer"]

  validation {
    condition     = alltrue([for r in var.terraform_plan_roles : !contains(["roles/owner", "roles/editor"], r) && !endswith(r, "admin") && !endswith(r, "Admin")])
    error_message = "terraform_plan_roles must be read-only roles."
  }
}
