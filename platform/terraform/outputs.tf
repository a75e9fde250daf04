output "github_actions_config" {
  description = "Everything the workflows need, as one JSON repository variable: terraform output -json github_actions_config | gh variable set GCP_CONFIG_<ENV>."
  value = {
    audience                   = module.service.audience
    deployer_service_account   = module.github_oidc.deployer_email
    project_id                 = var.project_id
    region                     = var.region
    repository_url             = module.service.repository_url
    service_name               = module.service.service_name
    state_bucket               = var.state_bucket
    terraform_apply_account    = module.github_oidc.terraform_apply_email
    terraform_plan_account     = module.github_oidc.terraform_plan_email
    workload_identity_provider = module.github_oidc.workload_identity_provider
  }
}

output "service_uri" {
  description = "URL of the API; callers use it (or the audience in github_actions_config) as their ID-token audience."
  value       = module.service.service_uri
}
