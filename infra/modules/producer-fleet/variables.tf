variable "name" {
  description = "Name prefix."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the fleet."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the instances."
  type        = list(string)
}

variable "instance_type" {
  description = "EC2 instance type of the producers."
  type        = string
  default     = "t3.small"
}

variable "min_size" {
  description = "Minimum number of producer instances."
  type        = number
  default     = 1
}

variable "max_size" {
  description = "Maximum number of producer instances."
  type        = number
  default     = 2
}

variable "desired_capacity" {
  description = "Desired number of producer instances."
  type        = number
  default     = 1
}

variable "ami_ssm_parameter" {
  description = "SSM public parameter that resolves the Amazon Linux 2023 AMI."
  type        = string
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

variable "java_package" {
  description = "Java runtime package installed from the Amazon Linux repositories (reached through the S3 gateway endpoint)."
  type        = string
  default     = "java-21-amazon-corretto-headless"
}

variable "root_volume_size" {
  description = "Root EBS volume size in GiB."
  type        = number
  default     = 20
}

variable "kms_key_arn" {
  description = "Customer managed key for the encrypted root volume and for reading SSE-KMS artifacts/secrets."
  type        = string
}

variable "artifact_bucket_name" {
  description = "S3 bucket holding the producer jar."
  type        = string
}

variable "producer_jar_s3_key" {
  description = "S3 key of the Sluice producer fat jar (sluice-producer-<version>-all.jar)."
  type        = string
}

variable "bootstrap_servers" {
  description = "Kafka bootstrap servers (host:port list) for the producers."
  type        = string
}

variable "kafka_auth" {
  description = "Kafka client authentication: IAM (MSK IAM, port 9098) or SCRAM (SASL/SCRAM-SHA-512, port 9096)."
  type        = string
  default     = "IAM"

  validation {
    condition     = contains(["IAM", "SCRAM"], var.kafka_auth)
    error_message = "kafka_auth must be IAM or SCRAM."
  }
}

variable "scram_secret_arn" {
  description = "Secrets Manager secret ({\"username\",\"password\"}) read at service start when kafka_auth is SCRAM. Never copied into user data."
  type        = string
  default     = null

  validation {
    condition     = var.kafka_auth != "SCRAM" || var.scram_secret_arn != null
    error_message = "scram_secret_arn is required when kafka_auth is SCRAM."
  }
}

variable "msk_cluster_arn" {
  description = "MSK cluster ARN, for the kafka-cluster IAM permissions when kafka_auth is IAM."
  type        = string
  default     = null

  validation {
    condition     = var.kafka_auth != "IAM" || var.msk_cluster_arn != null
    error_message = "msk_cluster_arn is required when kafka_auth is IAM."
  }
}

variable "kafka_port" {
  description = "Broker port the instances may reach."
  type        = number
  default     = 9098
}

variable "kafka_security_group_id" {
  description = "Security group of the brokers (or of their endpoints); the fleet gets egress to it on kafka_port only."
  type        = string
}

variable "endpoints_security_group_id" {
  description = "Security group of the interface VPC endpoints (SSM, Secrets Manager, KMS, logs)."
  type        = string
}

variable "s3_prefix_list_id" {
  description = "Prefix list of the S3 gateway endpoint (artifact download, Amazon Linux repositories)."
  type        = string
}

variable "topic" {
  description = "Topic the producers write to."
  type        = string
  default     = "sensor-readings"
}

variable "devices" {
  description = "Simulated devices per instance."
  type        = number
  default     = 10
}

variable "rate_per_device" {
  description = "Readings per second per device (10 = one reading every 100 ms)."
  type        = number
  default     = 10
}

variable "first_device_id" {
  description = "First simulated device ID. Every instance of the fleet simulates the same ID range, so run one instance per range (or accept several writers per device ID)."
  type        = number
  default     = 1
}

variable "extra_producer_args" {
  description = "Extra command-line arguments for the producer jar (for example [\"--seed\", \"42\"])."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Retention of the producer log group."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
