package dev.vernier.core.space;

import java.util.List;

/** Everything a strategy may propose: one subspace per training-job definition. */
public record SearchSpace(List<Subspace> subspaces) {
    public SearchSpace {
        subspaces = List.copyOf(subspaces);
        if (subspaces.isEmpty()) throw new IllegalArgumentException("a search space needs a subspace");
    }

    public static SearchSpace of(List<Parameter> parameters) {
        return new SearchSpace(List.of(new Subspace(null, parameters)));
    }

    public Subspace subspace(String definitionName) {
        return subspaces.stream().filter(s -> s.sameDefinition(definitionName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no definition " + definitionName));
    }
}
