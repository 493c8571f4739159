package dev.vernier.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClosestLineTest {
    @Test
    void theLineHoldingMostOfTheRegexsWordsWins() {
        ClosestLine closest = new ClosestLine("validation-loss=([0-9\\.]+)");
        closest.offer("epoch 1 started");
        closest.offer("train loss 0.5");
        closest.offer("validation_loss: 0.25");
        closest.offer("done");
        assertThat(closest.best()).contains("validation_loss: 0.25");
    }

    @Test
    void escapesAndCharacterClassesAreNotWords() {
        assertThat(ClosestLine.words("\\bval_acc\\s*=\\s*(\\d+\\.\\d+)[eE]?")).containsExactly("val", "acc");
    }

    @Test
    void noLineSharingAWordGivesNothing() {
        ClosestLine closest = new ClosestLine("loss=(\\S+)");
        closest.offer("hello world");
        assertThat(closest.best()).isEmpty();
    }
}
