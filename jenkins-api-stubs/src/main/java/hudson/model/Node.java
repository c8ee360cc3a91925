package hudson.model;

/**
 * Left out: the supertypes (AbstractModelObject, ReconfigurableDescribable, ExtensionPoint, AccessControlled, OnMaster,
 * PersistenceRoot) and every member; only tests use the type (an agent given to {@code setAssignedNode}).
 */
public abstract class Node {
}
