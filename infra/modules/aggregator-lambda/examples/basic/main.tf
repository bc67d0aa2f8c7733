# The aggregator fed by a same-account MSK cluster with IAM auth.
provider "aws" {
  region = "eu-west-1"
}

module "aggregator" {
  source = "../../"

  name                 = "sluice-aggregator-example"
  artifact_bucket_name = "sluice-artifacts-example"
  lambda_jar_s3_key    = "sluice-aggregator/0.1.0/sluice-aggregator-0.1.0-lambda.jar"
  table_name           = "sluice-device-windows-example"
  kms_key_arn          = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"

  event_source = {
    type            = "msk"
    msk_cluster_arn = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  }
}

output "table_name" {
  value = module.aggregator.table_name
}
