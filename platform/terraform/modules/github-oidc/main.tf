locals {
  pool_members = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.main.name}"
  # GitHub's default sub claim of a job that runs in an environment; the environment's protection
  # rules (required reviewers, allowed branches) then decide which runs can get this token.
  environment_subject = "principal://iam.googleapis.com/${google_iam_workload_identity_pool.main.name}/subject/repo:${var.github_repository}:environment:${var.github_environment}"

  # Who may impersonate which account: deploys and applies only jobs of the GitHub environment,
  # read-only plans any run of the repository (the provider already pins the repository).
  identities = {
    deployer = {
      description = "Pushes images and rolls out revisions from jobs of the ${var.github_repository} environment ${var.github_environment}."
      member      = local.environment_subject
      roles       = var.deployer_project_roles
      state_role  = null
    }
    tf-apply = {
      description = "Applies Terraform from jobs of the ${var.github_repository} environment ${var.github_environment}."
      member      = local.environment_subject
      roles       = var.terraform_apply_roles
      state_role  = "roles/storage.admin"
    }
    tf-plan = {
      description = "Plans Terraform (read-only) for any run of ${var.github_repository}."
      member      = "${local.pool_members}/attribute.repository/${var.github_repository}"
      roles       = var.terraform_plan_roles
      state_role  = "roles/storage.objectViewer"
    }
  }

  grants = merge([
    for id, identity in local.identities : {
      for role in identity.roles : "${id} ${role}" => { id = id, role = role }
    }
  ]...)
}

resource "google_iam_workload_identity_pool" "main" {
  project                   = var.project_id
  workload_identity_pool_id = var.name
  display_name              = "GitHub Actions"
  description               = "Short-lived credentials for ${var.github_repository} workflows; no service account keys."
}

resource "google_iam_workload_identity_pool_provider" "main" {
  #checkov:skip=CKV_GCP_125:It only accepts a pinned sub claim; we pin repository_owner_id and repository, as Google documents.
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.main.workload_identity_pool_id
  workload_identity_pool_provider_id = "${var.name}-actions"
  display_name                       = "GitHub Actions OIDC"
  attribute_condition                = "assertion.repository_owner_id == '${var.github_repository_owner_id}' && assertion.repository == '${var.github_repository}'"

  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.actor"      = "assertion.actor"
    "attribute.repository" = "assertion.repository"
  }

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}

resource "google_service_account" "main" {
  for_each = local.identities

  project      = var.project_id
  account_id   = "${var.name}-${each.key}"
  display_name = "GitHub Actions ${each.key}"
  description  = each.value.description
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each = local.identities

  service_account_id = google_service_account.main[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = each.value.member
}

resource "google_project_iam_member" "main" {
  for_each = local.grants

  project = var.project_id
  role    = each.value.role
  member  = google_service_account.main[each.value.id].member
}

resource "google_storage_bucket_iam_member" "state" {
  for_each = { for id, identity in local.identities : id => identity.state_role if identity.state_role != null }

  bucket = var.state_bucket
  role   = each.value
  member = google_service_account.main[each.key].member
}
