"""The service layer: every use case of a node, named, with its authorisation.

Entry points (GraphQL resolvers, CLI commands, the Kafka consumer, web pages) parse what they
are given, call one use case with the actor, and present the result or the typed refusal.
"""
