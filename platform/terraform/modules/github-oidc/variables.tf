variable "deployer_project_roles" {
  description = "Project roles of the deployer: deploy revisions and move traffic (run.developer), read SLO data for the error-budget gate (monitoring.viewer). Image push and acting as the runtime identity are granted on those resources by the cloud-run-service module."
  type        = list(string)
  default     = ["roles/run.developer", "roles/monitoring.viewer"]

  validation {
    condition     = length(setintersection(var.deployer_project_roles, ["roles/owner", "roles/editor", "roles/viewer"])) == 0
    error_message = "deployer_project_roles must not contain a basic role (roles/owner, roles/editor, roles/viewer)."
  }
}

variable "github_environment" {
  description = "GitHub environment whose jobs may act as the deployer and the Terraform applier (the root passes dev or prod). Such a job's OIDC subject is repo:OWNER/NAME:environment:ENV, so the environment's required reviewers and branch rules guard these credentials."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.github_environment))
    error_message = "github_environment must be a GitHub environment name such as \"prod\"."
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
    condition     = length(setintersection(var.terraform_apply_roles, ["roles/owner", "roles/editor", "roles/viewer"])) == 0
    error_message = "terraform_apply_roles must list the admin roles the stack needs, not a basic role."
  }
}

variable "terraform_plan_roles" {
  description = "Project roles of the identity that plans Terraform: read access to exactly what the stack manages (services, images, identities and their IAM, Workload Identity, Cloud Run, Cloud Monitoring), no basic role."
  type        = list(string)
  default = [
    "roles/artifactregistry.reader",
    "roles/iam.securityReviewer",
    "roles/iam.serviceAccountViewer",
    "roles/iam.workloadIdentityPoolViewer",
    "roles/monitoring.viewer",
    "roles/run.viewer",
    "roles/serviceusage.serviceUsageViewer",
  ]

  validation {
    condition     = alltrue([for r in var.terraform_plan_roles : !contains(["roles/owner", "roles/editor", "roles/viewer"], r) && !endswith(r, "admin") && !endswith(r, "Admin")])
    error_message = "terraform_plan_roles must be narrow read-only roles: no basic role, no admin role."
  }
}
