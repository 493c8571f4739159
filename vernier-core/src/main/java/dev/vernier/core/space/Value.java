package dev.vernier.core.space;

import java.math.BigDecimal;

/** A value chosen for one parameter. */
public sealed interface Value {
    /** The hyperparameter string a training program receives. */
    String asHyperparameter();

    record Real(double value) implements Value {
        /** Plain decimal notation ("0.00012", never "1.2E-4"), which every language's parser reads. */
        public String asHyperparameter() {
            return BigDecimal.valueOf(value).toPlainString();
        }
    }

    record Int(long value) implements Value {
        public String asHyperparameter() {
            return Long.toString(value);
        }
    }

    record Choice(String value) implements Value {
        public String asHyperparameter() {
            return value;
        }
    }
}
