variable "region" {
  description = "AWS region of the deployment."
  type        = string
}

variable "name" {
  description = "Short name prefix (at most 12 characters: NLB names derive from it)."
  type        = string
  default     = "sluice"

  validation {
    condition     = length(var.name) <= 12
    error_message = "name must be at most 12 characters."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "CIDR of the producer VPC (must not overlap the consumer VPC)."
  type        = string
  default     = "10.20.0.0/16"
}

variable "azs" {
  description = "Two availability zones for the brokers and producers."
  type        = list(string)
}

variable "consumer_deployer_role_arns" {
  description = "Roles in the consumer account(s) that deploy the consumer stack: they create the broker endpoints (endpoint service principals) or the MSK VPC connection, and read the broker map. They must exist before this stack is applied. Named roles, never an account root."
  type        = list(string)
}

variable "consumer_reader_role_arns" {
  description = "Roles in the consumer account(s) that read the aggregator's SCRAM secret: the aggregator Lambda's execution role (<name>-aggregator-lambda, created by the consumer stack; the policy names it by aws:PrincipalArn, so it need not exist yet)."
  type        = list(string)
}

variable "connectivity" {
  description = "How the consumer account reaches the cluster: privatelink (one NLB + endpoint service per broker) or multi_vpc (MSK multi-VPC private connectivity)."
  type        = string
  default     = "privatelink"

  validation {
    condition     = contains(["privatelink", "multi_vpc"], var.connectivity)
    error_message = "connectivity must be privatelink or multi_vpc."
  }
}

variable "kafka_version" {
  description = "Kafka version of the cluster."
  type        = string
  default     = "3.6.0"
}

variable "broker_instance_type" {
  description = "Broker instance type (not kafka.t3.small with multi_vpc)."
  type        = string
  default     = "kafka.m7g.large"
}

variable "broker_count" {
  description = "Number of brokers (a multiple of the AZ count)."
  type        = number
  default     = 2
}

variable "artifact_bucket_name" {
  description = "Bucket created here for the producer jar."
  type        = string
}

variable "producer_jar_s3_key" {
  description = "S3 key of sluice-producer-<version>-all.jar in the artifact bucket."
  type        = string
}

variable "producer_instance_count" {
  description = "Producer instances."
  type        = number
  default     = 1
}

variable "devices_per_instance" {
  description = "Simulated devices per producer instance."
  type        = number
  default     = 10
}

variable "topic" {
  description = "Readings topic."
  type        = string
  default     = "sensor-readings"
}

variable "topic_partitions" {
  description = "Partitions of the readings topic (created by the producer)."
  type        = number
  default     = 6
}
