provider "aws" {
  region = "eu-west-1"
}

module "kms" {
  source = "../../../kms-key"
  name   = "sluice-artifacts-example"
}

module "artifacts" {
  source = "../../"

  bucket_name = "sluice-artifacts-example-111111111111"
  kms_key_arn = module.kms.key_arn
}

output "bucket_name" {
  value = module.artifacts.bucket_name
}
