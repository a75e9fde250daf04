output "deployer_email" {
  description = "Service account the deploy workflow impersonates."
  value       = google_service_account.main["deployer"].email
}

output "deployer_member" {
  description = "The deployer as an IAM member, to grant it push, actAs and invoke on the service. Known at plan time, so callers can use it in for_each."
  value       = "serviceAccount:${var.name}-deployer@${var.project_id}.iam.gserviceaccount.com"
  depends_on  = [google_service_account.main]
}

output "terraform_apply_email" {
  description = "Service account the Terraform workflow impersonates to apply, from jobs of the GitHub environment only."
  value       = google_service_account.main["tf-apply"].email
}

output "terraform_plan_email" {
  description = "Read-only service account the Terraform workflow impersonates to plan (pull requests and main)."
  value       = google_service_account.main["tf-plan"].email
}

output "workload_identity_provider" {
  description = "Full provider name, the workload_identity_provider input of google-github-actions/auth."
  value       = google_iam_workload_identity_pool_provider.main.name
}
