output "audience" {
  description = "Custom ID-token audience the service accepts besides its URL (valid for tagged revision URLs too)."
  value       = local.audience
}

output "location" {
  description = "Region of the service and of the repository."
  value       = google_cloud_run_v2_service.main.location
}

output "repository_url" {
  description = "Docker path images are pushed to: LOCATION-docker.pkg.dev/PROJECT/REPOSITORY."
  value       = "${var.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.main.repository_id}"
}

output "runtime_service_account_email" {
  description = "Email of the identity the containers run as."
  value       = google_service_account.runtime.email
}

output "service_id" {
  description = "Full resource ID of the service (projects/P/locations/L/services/S), for monitoring."
  value       = google_cloud_run_v2_service.main.id
}

output "service_name" {
  description = "Name of the Cloud Run service."
  value       = google_cloud_run_v2_service.main.name
}

output "service_uri" {
  description = "HTTPS URL of the service; it is also the audience of the callers' ID tokens."
  value       = google_cloud_run_v2_service.main.uri
}
