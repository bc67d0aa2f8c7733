mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
}

variables {
  cluster_arn           = "arn:aws:kafka:eu-west-1:111111111111:cluster/sluice/11111111-2222-3333-4444-555555555555-1"
  client_principal_arns = ["arn:aws:iam::222222222222:role/sluice-consumer-deploy"]
  read_topics           = ["sensor-readings"]
  consumer_groups       = ["sluice-aggregator"]
}

run "policy_is_scoped" {
  command = apply

  assert {
    condition     = alltrue(flatten([for s in jsondecode(aws_msk_cluster_policy.this.policy).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]]))
    error_message = "No wildcard actions in the cluster policy."
  }
  assert {
    condition     = alltrue([for s in jsondecode(aws_msk_cluster_policy.this.policy).Statement : s.Principal.AWS == ["arn:aws:iam::222222222222:root"] && s.Condition.ArnEquals["aws:PrincipalArn"] == ["arn:aws:iam::222222222222:role/sluice-consumer-deploy"]])
    error_message = "Only the client account's named roles may use the cluster."
  }
  assert {
    condition     = [for s in jsondecode(aws_msk_cluster_policy.this.policy).Statement : s.Resource if s.Sid == "ClientAccountsRead"][0] == ["arn:aws:kafka:eu-west-1:111111111111:topic/sluice/11111111-2222-3333-4444-555555555555-1/sensor-readings"]
    error_message = "Read access must be limited to the named topic ARN."
  }
  assert {
    condition     = length([for s in jsondecode(aws_msk_cluster_policy.this.policy).Statement : s if s.Sid == "ClientAccountsWrite"]) == 0
    error_message = "No write statement without write_topics."
  }
  assert {
    condition     = contains([for s in jsondecode(aws_msk_cluster_policy.this.policy).Statement : s.Action if s.Sid == "ClientAccountsCreateVpcConnections"][0], "kafka:CreateVpcConnection")
    error_message = "CreateVpcConnection must be allowed."
  }
}

run "rejects_bad_arn" {
  command = plan
  variables {
    cluster_arn = "sluice"
  }
  expect_failures = [var.cluster_arn]
}
