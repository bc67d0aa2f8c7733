variable "region" {
  description = "AWS region of the deployment."
  type        = string
}

variable "name" {
  description = "Short name prefix."
  type        = string
  default     = "sluice"
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "CIDR of the MSK VPC (account A)."
  type        = string
  default     = "10.50.0.0/16"
}

variable "azs" {
  description = "Two availability zones."
  type        = list(string)
}

variable "connect_account_id" {
  description = "Account B, running Kafka Connect (the Transit Gateway is shared with it through RAM)."
  type        = string
}

variable "connect_role_arns" {
  description = "Roles in account B that read the Connect SCRAM secret and decrypt it: the Connect workers' instance role (<name>-connect-connect, created by the connect-account stack). Named roles, never the account root."
  type        = list(string)
}

variable "connect_vpc_cidr" {
  description = "CIDR of the Connect VPC in account B (routed through the Transit Gateway, allowed on the SCRAM port)."
  type        = string
  default     = "10.60.0.0/16"
}

variable "create_transit_gateway" {
  description = "Create and share a Transit Gateway here; false to use an existing one (transit_gateway_id)."
  type        = bool
  default     = true
}

variable "transit_gateway_id" {
  description = "Existing Transit Gateway (when create_transit_gateway is false)."
  type        = string
  default     = null
}

variable "kafka_version" {
  description = "Kafka version."
  type        = string
  default     = "3.6.0"
}

variable "broker_instance_type" {
  description = "Broker instance type."
  type        = string
  default     = "kafka.m7g.large"
}

variable "broker_count" {
  description = "Number of brokers."
  type        = number
  default     = 2
}

variable "enable_producers" {
  description = "Also run a Sluice producer fleet here, so the pipeline has data without another source."
  type        = bool
  default     = true
}

variable "artifact_bucket_name" {
  description = "Artifact bucket created here (producer jar)."
  type        = string
}

variable "producer_jar_s3_key" {
  description = "S3 key of sluice-producer-<version>-all.jar."
  type        = string
  default     = null
}

variable "topic" {
  description = "Readings topic."
  type        = string
  default     = "sensor-readings"
}

variable "accept_attachment_ids" {
  description = "Transit Gateway attachments of the Connect account to accept (its transit_gateway_attachment_id output), after review."
  type        = list(string)
  default     = []
}
